/**
 * A small benchmark harness: peers measured side by side in one process, interleaved, so the
 * ratios survive a noisy machine even when the absolute times do not.
 */

/** One line of `jsp bench … --json`. `ratio` > 1 means JSP is ahead of `peer`. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  peer?: string;
  ratio?: number;
}

export interface Case {
  name: string;
  /** Runs the operation once; its result is kept so the JIT cannot drop the work. */
  run: () => unknown;
}

let sink: unknown;

/** Nanoseconds per call, measured in one batch sized to take about `targetMs`. */
function batch(run: () => unknown, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink = run();
  return Number(process.hrtime.bigint() - start) / iterations;
}

function calibrate(run: () => unknown, targetMs: number): number {
  let n = 16;
  for (;;) {
    const ns = batch(run, n);
    if (ns * n >= targetMs * 1e6 * 0.5 || n > 1e8) return Math.max(16, Math.round((targetMs * 1e6) / Math.max(ns, 0.1)));
    n *= 4;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Measures each case in `rounds` interleaved rounds (A, B, A, B, …) after a warm-up and
 * returns the median ns per call of each.
 */
export function compare(cases: Case[], opts: { rounds?: number; targetMs?: number } = {}): Map<string, number> {
  const rounds = opts.rounds ?? 7;
  const targetMs = opts.targetMs ?? 40;
  const iters = cases.map((c) => calibrate(c.run, targetMs));
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => samples[i].push(batch(c.run, iters[i])));
  }
  void sink;
  return new Map(cases.map((c, i) => [c.name, median(samples[i])]));
}

export function printTable(results: BenchResult[]): void {
  const w = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const v = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(1);
    const vs = r.peer ? `  ${r.ratio!.toFixed(2)}× vs ${r.peer}` : '';
    console.log(`${r.name.padEnd(w)}  ${v.padStart(9)} ${r.unit}${vs}`);
  }
}
