/** `jsp conformance --impl "<command>"`: run the conformance suite against an implementation. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readExpectedFailures, runConformance } from '../../conformance/runner/run.ts';
import { closingLine, toJUnit, totals, type CaseResult } from '../../conformance/runner/report.ts';

export const conformanceUsage = `jsp conformance --impl "<command>" [options]

  --impl CMD                the implementation's adapter program (spec/conformance.yaml),
                            e.g. "npx jsp adapter" for the reference runtime
  --filter S                only cases whose id (codec/frames/312) or title contains S; repeatable
  --expected-failures FILE  case ids expected to fail, one per line; one that passes fails the run
  --json FILE               write every case result as JSON
  --junit FILE              write a JUnit XML report
  --timeout MS              per-case answer timeout (default 5000)
  --vectors DIR             vector directory (default: the committed conformance/vectors)
  --verbose                 print every failing case in full (default: the first 20)
  --coverage                list the spec's requirement ids that no vector or test cites (no --impl needed)`;

export class ConformanceUsageError extends Error {}

export async function conformanceCommand(args: string[]): Promise<number> {
  let impl: string | undefined;
  const filter: string[] = [];
  let xfFile: string | undefined;
  let jsonFile: string | undefined;
  let junitFile: string | undefined;
  let timeoutMs = 5000;
  let vectorsDir = fileURLToPath(new URL('../../conformance/vectors', import.meta.url));
  let verbose = false;
  if (args.includes('--coverage')) {
    if (args.length > 1) throw new ConformanceUsageError('--coverage takes no other options');
    return coverage();
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new ConformanceUsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--impl': impl = value(); break;
      case '--filter': filter.push(value()); break;
      case '--expected-failures': xfFile = value(); break;
      case '--json': jsonFile = value(); break;
      case '--junit': junitFile = value(); break;
      case '--vectors': vectorsDir = value(); break;
      case '--verbose': verbose = true; break;
      case '--timeout': {
        timeoutMs = Number(value());
        if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw new ConformanceUsageError(`--timeout must be 1..600000 ms, got ${args[i]}`);
        break;
      }
      default: throw new ConformanceUsageError(`unknown argument '${a}'`);
    }
  }
  if (!impl) throw new ConformanceUsageError('--impl is required');

  const tty = process.stderr.isTTY;
  const report = await runConformance({
    command: impl, vectorsDir, filter, timeoutMs,
    expectedFailures: xfFile ? readExpectedFailures(xfFile) : undefined,
    onResult: (_r, done, total) => {
      if (tty && (done % 50 === 0 || done === total)) process.stderr.write(`\r  ${done}/${total}`);
    },
  });
  if (tty) process.stderr.write('\r');

  console.log(`implementation: ${report.implementation}  (capabilities: ${report.capabilities.join(', ') || 'none'})`);
  const bySuite = new Map<string, CaseResult[]>();
  for (const r of report.results) bySuite.set(r.suite, [...(bySuite.get(r.suite) ?? []), r]);
  for (const [suite, rs] of bySuite) {
    const t = totals(rs);
    const extra = [t.unsupported && `${t.unsupported} unsupported`, t.xfail && `${t.xfail} expected failures`, t.xpass && `${t.xpass} unexpectedly passed`].filter(Boolean);
    console.log(`  ${suite.padEnd(18)} ${String(t.pass).padStart(5)} passed, ${String(t.fail).padStart(4)} failed${extra.length ? `, ${extra.join(', ')}` : ''}`);
  }
  const bad = report.results.filter((r) => r.status === 'fail' || r.status === 'xpass');
  for (const r of verbose ? bad : bad.slice(0, 20)) console.log(`\nFAIL ${r.id}  ${r.title}\n  ${(r.reason ?? '').replace(/\n/g, '\n  ')}`);
  if (!verbose && bad.length > 20) console.log(`\n… and ${bad.length - 20} more failing cases (--verbose shows all, --json FILE records all)`);

  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2) + '\n');
  if (junitFile) writeFileSync(junitFile, toJUnit(report));
  const t = report.totals;
  console.log(`\n${t.unsupported} unsupported, ${t.xfail} expected failures${t.xpass ? `, ${t.xpass} listed as expected failures but passed` : ''}`);
  console.log(closingLine(t));
  return t.fail + t.xpass === 0 ? 0 : 1;
}

/** `--coverage`: requirement ids of spec/ that no file of test/ or conformance/ cites. */
async function coverage(): Promise<number> {
  const { loadSpec } = await import('../../codegen/load.ts');
  const { findCitations } = await import('../../codegen/emit-docs-sources.ts');
  const spec = loadSpec();
  const { byReq } = findCitations(spec);
  const missing = spec.requirements.filter((r) => (byReq.get(r.id) ?? []).length === 0);
  for (const r of missing) console.log(`${r.id.padEnd(44)} ${r.level.padEnd(10)} ${r.file}`);
  console.log(`\n${spec.requirements.length - missing.length} of ${spec.requirements.length} requirements are cited by a vector or test; ${missing.length} are not`);
  return 0;
}
