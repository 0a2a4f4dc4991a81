/**
 * Runs the conformance cases against one implementation: `jsp conformance --impl "<command>"`.
 */
import { readFileSync } from 'node:fs';
import { AdapterFailure, AdapterProcess, AdapterUnavailable } from './adapter-process.ts';
import { loadCases, type Case } from './cases.ts';
import { totals, type CaseResult, type RunReport } from './report.ts';

export interface RunOptions {
  command: string;
  vectorsDir: string;
  /** Keep cases whose id or title contains one of these. */
  filter?: string[];
  /** Keep exactly these case ids. */
  only?: Set<string>;
  /** Case ids expected to fail (protobuf conformance style: one that passes fails the run). */
  expectedFailures?: Set<string>;
  timeoutMs?: number;
  onResult?: (r: CaseResult, done: number, total: number) => void;
}

/** Reads an expected-failures file: one case id per line, `#` starts a comment. */
export function readExpectedFailures(path: string): Set<string> {
  return new Set(readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean));
}

export async function runConformance(opts: RunOptions): Promise<RunReport> {
  let cases: Case[] = loadCases(opts.vectorsDir);
  if (opts.filter?.length) cases = cases.filter((c) => opts.filter!.some((f) => c.id.includes(f) || c.title.includes(f)));
  if (opts.only) cases = cases.filter((c) => opts.only!.has(c.id));
  const xf = opts.expectedFailures ?? new Set<string>();
  const adapter = new AdapterProcess(opts.command, opts.timeoutMs ?? 5000);
  const results: CaseResult[] = [];
  let capabilities: string[] = [];
  let implementation = opts.command;
  let unavailable: string | undefined;
  try {
    const hello = await adapter.start();
    capabilities = hello.capabilities;
    implementation = hello.name;
  } catch (e) {
    if (!(e instanceof AdapterUnavailable) && !(e instanceof AdapterFailure)) throw e;
    unavailable = e.message + (e instanceof AdapterFailure && e.stderr ? `\n${e.stderr}` : '');
  }

  let id = 0;
  for (const c of cases) {
    const started = performance.now();
    let status: CaseResult['status'];
    let reason: string | undefined;
    if (unavailable !== undefined && !adapter.hello) {
      // The adapter never said hello: nothing it could run was tested.
      status = unavailable.includes('exit 127') ? 'unsupported' : 'fail';
      reason = unavailable;
    } else if (!capabilities.includes(c.capability)) {
      status = 'unsupported';
      reason = `adapter does not list capability '${c.capability}'`;
    } else {
      try {
        const r = await adapter.request(++id, c.request);
        if (r.result === 'unsupported') {
          status = 'unsupported';
          reason = String(r.message ?? '');
        } else {
          reason = c.check(r);
          status = reason === undefined ? 'pass' : 'fail';
        }
      } catch (e) {
        if (!(e instanceof AdapterFailure) && !(e instanceof AdapterUnavailable)) throw e;
        status = 'fail';
        reason = `${e.message}${e instanceof AdapterFailure && e.stderr.trim() ? `\n  stderr: ${e.stderr.trim().split('\n').slice(-5).join('\n          ')}` : ''}`;
      }
    }
    if (xf.has(c.id)) {
      if (status === 'fail') status = 'xfail';
      else if (status === 'pass') { status = 'xpass'; reason = 'listed as an expected failure, but passed'; }
    }
    const r: CaseResult = { id: c.id, suite: c.suite, title: c.title, status, reason, ms: performance.now() - started };
    results.push(r);
    opts.onResult?.(r, results.length, cases.length);
  }
  await adapter.close();
  return { implementation, command: opts.command, capabilities, results, totals: totals(results) };
}
