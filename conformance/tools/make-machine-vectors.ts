/**
 * Writes the state-machine vectors `conformance/vectors/machines/<file id>.json`, one per file of
 * `spec/machines/` (format: codegen/README.md, "State-machine vectors"), from the IR with the
 * reference interpreter `conformance/reference/machine.ts`. Deterministic: running it twice gives
 * the same bytes.
 *
 *   npm run vectors:machines              write the files
 *   npm run vectors:machines -- --check   fail when a committed file differs from what would be written
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec, ROOT } from '../../codegen/load.ts';
import { MACHINE_VECTORS_DIR, machineVectorFile } from '../reference/machine-vectors.ts';

const OUT = join(ROOT, MACHINE_VECTORS_DIR);
const check = process.argv.includes('--check');

let stale = 0;
mkdirSync(OUT, { recursive: true });
for (const f of loadSpec().machines) {
  const { name, text, cases } = machineVectorFile(f);
  const path = join(OUT, name);
  const summary = `${name}: ${cases} cases (${f.machines.map((m) => m.id).join(', ')})`;
  if (check) {
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch { /* a missing file is stale */ }
    if (old === text) process.stdout.write(`ok    ${summary}\n`);
    else {
      stale++;
      process.stdout.write(`STALE ${summary}\n`);
    }
  } else {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${summary}\n`);
  }
}
if (stale) {
  process.stdout.write(`${stale} machine vector file(s) are stale: run \`npm run vectors:machines\`\n`);
  process.exitCode = 1;
}
