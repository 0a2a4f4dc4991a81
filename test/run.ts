/**
 * The whole suite: `npm test`.
 *
 * Runs every `test/**\/*.test.ts` file in its own Node process (two at a time — the
 * machines have two cores), plus the codegen staleness check, and prints one closing
 * line `N passed, N failed` that CI reads. A file that crashes before uvu reports
 * counts as one failure, so a broken import can never look like a pass.
 *
 * Usage: `npm test [-- substring ...]` runs only files whose path contains a substring.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

interface Result { name: string; passed: number; failed: number; skipped: number; output: string; ms: number }

function runNode(name: string, args: string[]): Promise<Result> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? NaN);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
      if (Number.isNaN(total) || Number.isNaN(passed)) {
        // Not a uvu file (a check script) or a crash before uvu reported.
        resolve({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, output, ms });
        return;
      }
      const failed = total - passed - skipped + (code !== 0 && total === passed + skipped ? 1 : 0);
      resolve({ name, passed, failed, skipped, output, ms });
    });
  });
}

const jobs: Array<() => Promise<Result>> = [];
if (filters.length === 0 || filters.some((f) => 'codegen-check'.includes(f))) {
  jobs.push(() => runNode('codegen --check', ['codegen/main.ts', '--check']));
}
for (const file of findTests(join(root, 'test'))) {
  const rel = relative(root, file);
  if (filters.length && !filters.some((f) => rel.includes(f))) continue;
  jobs.push(() => runNode(rel, [rel]));
}

const results: Result[] = [];
let next = 0;
async function worker(): Promise<void> {
  while (next < jobs.length) {
    const job = jobs[next++];
    const r = await job();
    results.push(r);
    const status = r.failed ? 'FAIL' : 'ok  ';
    process.stdout.write(`${status} ${r.name}  (${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}; ${(r.ms / 1000).toFixed(1)} s)\n`);
    if (r.failed) process.stdout.write(r.output.replace(/^/gm, '    | ') + '\n');
  }
}
await Promise.all([worker(), worker()]);

const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
const skipped = results.reduce((a, r) => a + r.skipped, 0);
process.exitCode = failed ? 1 : 0;
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
