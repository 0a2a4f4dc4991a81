/**
 * The sans-IO rule (DESIGN.md "Sans-IO core"): nothing under `src/core` or `src/sim` imports a
 * Node module (`node:*` or a bare builtin name), reads the clock (`Date.now`, `new Date()`,
 * `performance.now`), draws global randomness (`Math.random`, `crypto.getRandomValues`), sets a
 * timer or reaches for the host (`process`, `require`, `globalThis`). Comments, strings and
 * regular expressions are blanked before the scan, so prose that names these does not count.
 *
 * One exception, listed below with its reason: `src/sim/seeds.ts` reads `JSP_SIM_SEED` /
 * `JSP_SIM_TRACE` through `globalThis.process` — test-harness configuration, not time or
 * randomness, and absent (not an error) off Node.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan, strip } from './source-scan.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** path (relative to the repo) → rules allowed there. */
const ALLOWED: Record<string, string[]> = {
  'src/sim/seeds.ts': ['globalThis'],
};

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.[cm]?[jt]s$/.test(name) ? [p] : [];
  });
}

test('no file under src/core or src/sim imports node:*, reads the clock, draws global randomness or sets a timer', () => {
  const all = [...files(join(root, 'src/core')), ...files(join(root, 'src/sim'))];
  assert.ok(all.length > 20, `${all.length} files scanned`);
  assert.ok(all.some((f) => f.endsWith('src/sim/simulator.ts')));
  const problems: string[] = [];
  for (const f of all) {
    const rel = relative(root, f).split('\\').join('/');
    for (const x of scan(readFileSync(f, 'utf8'))) {
      if (ALLOWED[rel]?.includes(x.rule)) continue;
      problems.push(`${rel}:${x.line} ${x.rule}: ${x.text}`);
    }
  }
  assert.equal(problems, []);
});

test('the scan finds real uses and only those', () => {
  const bad = [
    "import { randomBytes } from 'node:crypto';",
    "import type { Socket } from 'dgram';",
    "export { x } from 'node:fs';",
    "import 'node:process';",
    "const m = await import('fs/promises');",
    'const t = Date.now();',
    'const u = Date . now();',
    'const d = new Date();',
    'const p = performance.now();',
    'const r = Math.random();',
    'crypto.getRandomValues(b);',
    'setTimeout(f, 1);',
    'const i = setInterval(f, 1);',
    'const e = process.env.X;',
    "const fs = require('fs');",
    'const t = `${Date.now()}`;',
    'const t = `a ${`b ${Math.random()}`} c`;',
  ];
  for (const line of bad) assert.is(scan(line).length > 0, true, `should be found: ${line}`);
  const ok = [
    '// Date.now() is never called here, nor Math.random()',
    '/* import x from "node:fs"; setTimeout */',
    '/**\n * Like `setTimeout` but virtual; see node:timers.\n */',
    "const s = 'Date.now() and node:crypto in a message';",
    'const s = "import x from \'node:fs\'";',
    'const s = `setInterval is not used ${n} Math.random`;',
    'const re = /Date\\.now|setTimeout/;',
    'const q = a / b / c; const r = /[/]Math.random/g;',
    "import { x } from './node-helpers.ts';",
    "import { nodeProvider } from '../crypto/node.ts';",
    'const o = { setTimeoutMs: 3, process: 1 }; o.process.x; nextDate.now;',
    'const d = new Date(0);',
  ];
  for (const src of ok) assert.equal(scan(src), [], `should pass: ${src}`);
  assert.is(strip("a /* b */ 'c' // d\ne", 'code'), "a         ' '     \ne");
  assert.is(strip("a /* b */ 'c' // d\ne", 'strings'), "a         'c'     \ne");
  assert.equal(scan('const a = 1;\n// x\nconst t = Date.now();').map((f) => f.line), [3]);
});

test.run();
