/**
 * A suite that cannot catch planted bugs protects nobody. Each mutation below is applied to a
 * fresh copy of the generated TypeScript codec (`jsp codegen --lang ts --out DIR`), the reference
 * adapter is pointed at the copy (JSP_GEN_DIR), and the conformance runner must report failures.
 * Every mutation site must occur exactly once, so a generator change that moves one fails here
 * instead of silently testing nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runConformance } from '../../conformance/runner/run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vectorsDir = join(root, 'conformance/vectors');
const work = mkdtempSync(join(tmpdir(), 'jsp-mutants-'));
const pristine = join(work, 'pristine');

interface Mutation { name: string; file: string; from: string; to: string }

const MUTATIONS: Mutation[] = [
  { name: 'off-by-one in a length check (reads one byte past the end)', file: 'codec/reader.ts',
    from: 'if (!(n >= 0 && n <= this.end - p)) this.badLength(n, what);\n    this.pos = p + n;\n    return this.buf.subarray(p, p + n);',
    to: 'if (!(n >= 0 && n <= this.end - p + 1)) this.badLength(n, what);\n    this.pos = p + n;\n    return this.buf.subarray(p, p + n);' },
  { name: 'dropped trailing-bytes check', file: 'codec/reader.ts',
    from: 'if (this.pos !== this.end) {\n      this.fail(\'trailing_bytes\'', to: 'if (false) {\n      this.fail(\'trailing_bytes\'' },
  { name: 'wrong endianness of u32 (little-endian version field)', file: 'codec/reader.ts',
    from: '    this.pos = p + 4;\n    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;',
    to: '    this.pos = p + 4;\n    return ((b[p + 3] << 24) | (b[p + 2] << 16) | (b[p + 1] << 8) | b[p]) >>> 0;' },
  { name: 'varint width error (2-byte mask keeps a length bit)', file: 'codec/reader.ts',
    from: 'const v = ((first & 0x3f) << 8) | b[p + 1];', to: 'const v = ((first & 0x7f) << 8) | b[p + 1];' },
  { name: 'non-minimal 2-byte varints accepted', file: 'codec/reader.ts',
    from: 'if (v < 0x40) this.nonMinimal(2, v, p, what);', to: 'if (v < 0x00) this.nonMinimal(2, v, p, what);' },
  { name: 'out-of-range enum accepted (close_reason.origin)', file: 'gen/messages.ts',
    from: "if (x > 2) badEnum(r, 'close_reason.origin', x, at);", to: "if (x > 3) badEnum(r, 'close_reason.origin', x, at);" },
  { name: 'connection ID length limit off by one', file: 'gen/frames.ts',
    from: "if (length < 1 || length > 20) r.fail('out_of_range', 'new_connection_id.length'", to: "if (length < 1 || length > 21) r.fail('out_of_range', 'new_connection_id.length'" },
  { name: 'STREAM FIN read from the LEN bit', file: 'gen/frames.ts',
    from: 'const fin = (type & 0x1) !== 0;', to: 'const fin = (type & 0x2) !== 0;' },
];

const adapterFor = (dir: string) => `JSP_GEN_DIR="${join(dir, 'gen')}" "${process.execPath}" "${join(root, 'bin/jsp.js')}" adapter`;

test.before(() => {
  const r = spawnSync(process.execPath, [join(root, 'bin/jsp.js'), 'codegen', '--lang', 'ts', '--out', pristine], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});
test.after(() => rmSync(work, { recursive: true, force: true }));

test('the unmutated copy passes every vector (the harness itself is sound)', async () => {
  const report = await runConformance({ command: adapterFor(pristine), vectorsDir });
  assert.is(report.totals.fail, 0, report.results.find((r) => r.status === 'fail')?.reason);
  assert.ok(report.totals.pass > 2000);
});

for (const m of MUTATIONS) {
  test(`mutation caught: ${m.name}`, async () => {
    const dir = join(work, m.name.replace(/\W+/g, '-'));
    cpSync(pristine, dir, { recursive: true });
    const path = join(dir, m.file);
    const src = readFileSync(path, 'utf8');
    assert.is(src.split(m.from).length - 1, 1, `mutation site in ${m.file} must occur exactly once: ${m.from}`);
    writeFileSync(path, src.replace(m.from, m.to));
    const report = await runConformance({ command: adapterFor(dir), vectorsDir });
    assert.ok(report.totals.fail > 0, `the suite did not notice: ${m.name}`);
  });
}

test.run();
