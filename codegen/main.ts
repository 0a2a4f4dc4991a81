/**
 * `npm run codegen` — regenerate everything derived from `spec/`.
 * `npm run codegen -- --check` — exit 1, listing the files, when anything generated is stale.
 *
 * The outputs of the default run are committed: `src/gen/*.ts` (the TypeScript codec the
 * runtime imports), `schema/jetstream.proto` (the protobuf oracle's input) and `docs/spec/*.md`
 * (the rendered specification).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSpec, ROOT, SpecError } from './load.ts';
import type { Emitter, GeneratedFile } from './emit.ts';
import { emitTs } from './emit-ts.ts';
import { emitProto } from './emit-proto.ts';
import { emitDocs } from './emit-docs.ts';

/** The emitters whose output is committed in this repository. */
export const COMMITTED: Emitter[] = [emitTs, emitProto, emitDocs];

export function generateAll(): GeneratedFile[] {
  const spec = loadSpec();
  return COMMITTED.flatMap((e) => e(spec));
}

export function main(argv: string[]): number {
  const check = argv.includes('--check');
  let files: GeneratedFile[];
  try {
    files = generateAll();
  } catch (e) {
    if (e instanceof SpecError) {
      console.error(`spec error: ${e.message}`);
      return 1;
    }
    throw e;
  }
  const stale: string[] = [];
  for (const f of files) {
    const abs = join(ROOT, f.path);
    const old = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (old === f.content) continue;
    stale.push(f.path);
    if (!check) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.content);
    }
  }
  if (check) {
    if (stale.length) {
      console.error(`generated files are stale (run \`npm run codegen\`):\n${stale.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
    console.log(`codegen --check: ${files.length} generated files are up to date`);
    return 0;
  }
  console.log(stale.length ? `codegen: wrote ${stale.join(', ')}` : `codegen: ${files.length} files already up to date`);
  return 0;
}

if (process.argv[1]?.endsWith('codegen/main.ts')) {
  process.exitCode = main(process.argv.slice(2));
}
