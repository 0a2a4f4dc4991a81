/** Results of a conformance run, and their JSON and JUnit renderings. */
export type Status = 'pass' | 'fail' | 'unsupported' | 'xfail' | 'xpass';

export interface CaseResult {
  id: string;
  suite: string;
  title: string;
  status: Status;
  reason?: string;
  ms: number;
}

export interface RunReport {
  implementation: string;
  command: string;
  capabilities: string[];
  results: CaseResult[];
  totals: Record<Status, number>;
}

export function totals(results: CaseResult[]): Record<Status, number> {
  const t: Record<Status, number> = { pass: 0, fail: 0, unsupported: 0, xfail: 0, xpass: 0 };
  for (const r of results) t[r.status]++;
  return t;
}

/** Passed and failed as the closing line counts them: an unexpected pass is a failure. */
export function closingLine(t: Record<Status, number>): string {
  return `${t.pass} passed, ${t.fail + t.xpass} failed`;
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  // XML 1.0 forbids most control characters even when escaped.
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function toJUnit(report: RunReport): string {
  const suites = new Map<string, CaseResult[]>();
  for (const r of report.results) suites.set(r.suite, [...(suites.get(r.suite) ?? []), r]);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const t = report.totals;
  lines.push(`<testsuites name="jsp conformance: ${esc(report.implementation)}" tests="${report.results.length}" failures="${t.fail + t.xpass}" skipped="${t.unsupported + t.xfail}">`);
  for (const [name, rs] of suites) {
    const st = totals(rs);
    const secs = rs.reduce((a, r) => a + r.ms, 0) / 1000;
    lines.push(`  <testsuite name="${esc(name)}" tests="${rs.length}" failures="${st.fail + st.xpass}" skipped="${st.unsupported + st.xfail}" time="${secs.toFixed(3)}">`);
    for (const r of rs) {
      lines.push(`    <testcase classname="${esc(name)}" name="${esc(`${r.id} ${r.title}`)}" time="${(r.ms / 1000).toFixed(4)}">`);
      if (r.status === 'fail' || r.status === 'xpass') lines.push(`      <failure message="${esc(r.status === 'xpass' ? 'listed as an expected failure, but passed' : (r.reason ?? '').split('\n')[0])}">${esc(r.reason ?? '')}</failure>`);
      if (r.status === 'unsupported') lines.push(`      <skipped message="unsupported${r.reason ? `: ${esc(r.reason.split('\n')[0])}` : ''}"/>`);
      if (r.status === 'xfail') lines.push(`      <skipped message="expected failure: ${esc((r.reason ?? '').split('\n')[0])}"/>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
