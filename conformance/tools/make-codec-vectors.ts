/**
 * Writes the golden codec vectors `conformance/vectors/codec/{frames,packets,messages}.json`
 * (format: codegen/README.md, "Golden vectors"; files described in conformance/vectors/codec/README.md).
 *
 * Every case is derived generically from the IR (`codegen/load.ts`) and checked against the naive
 * reference codec (`conformance/reference/`) before it is written; the generator is deterministic
 * (seeded PRNG, stable order and tcIds), so running it twice gives the same bytes.
 *
 *   npm run vectors              write the files
 *   npm run vectors -- --check   fail when a committed file differs from what would be written
 *   npm run vectors -- --verbose also list the cases the generator could not build
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec, ROOT } from '../../codegen/load.ts';
import { buildVectorFiles } from './vectors/build.ts';

const OUT = join(ROOT, 'conformance/vectors/codec');
const check = process.argv.includes('--check');
const verbose = process.argv.includes('--verbose');

const skipped: string[] = [];
const files = buildVectorFiles(loadSpec(), skipped);
if (verbose) for (const s of skipped) process.stderr.write(`skipped ${s}\n`);

let stale = 0;
for (const { name, text, valid, invalid } of files) {
  const path = join(OUT, name);
  const summary = `${name}: ${valid + invalid} tests (${valid} valid, ${invalid} invalid), ${(text.length / 1024).toFixed(0)} KiB`;
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
  process.stdout.write(`${stale} vector file(s) are stale: run \`npm run vectors\`\n`);
  process.exitCode = 1;
}
