/**
 * `npm run codegen` — regenerate everything derived from `spec/`.
 * `npm run codegen -- --check` — exit 1, listing the files, when anything generated is stale.
 *
 * The outputs of the default run are committed: `src/gen/*.ts` (the TypeScript codec, crypto
 * tables and state machines the runtime imports), `schema/jetstream.proto` (the protobuf oracle's
 * input), `docs/spec/*.md` (the rendered specification) and `docs/spec/diagrams/*.svg` (its
 * diagrams, rendered by Graphviz compiled to WebAssembly — the one asynchronous step).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSpec, ROOT, SpecError } from './load.ts';
import type { Emitter, GeneratedFile } from './emit.ts';
import type { Spec } from './ir.ts';
import { emitTs } from './emit-ts.ts';
import { emitProto } from './emit-proto.ts';
import { emitDocs } from './emit-docs.ts';
import { emitDiagrams } from './emit-docs-diagrams.ts';

/** The emitters whose output is committed in this repository (synchronous). */
export const COMMITTED: Emitter[] = [emitTs, emitProto, emitDocs];

/** Committed outputs that need an asynchronous step: the SVG diagrams (Graphviz loads as WebAssembly). */
export const COMMITTED_ASYNC: Array<(spec: Spec) => Promise<GeneratedFile[]>> = [emitDiagrams];

/** Every committed generated file, from the spec as it is now. */
export async function generateAll(): Promise<GeneratedFile[]> {
  const spec = loadSpec();
  const files = COMMITTED.flatMap((e) => e(spec));
  for (const e of COMMITTED_ASYNC) files.push(...(await e(spec)));
  return files;
}

export async function main(argv: string[]): Promise<number> {
  const started = performance.now();
  const check = argv.includes('--check');
  let files: GeneratedFile[];
  try {
    files = await generateAll();
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
    console.log(`codegen --check: ${files.length} generated files are up to date (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  }
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  console.log(stale.length ? `codegen: wrote ${stale.join(', ')} (${took})` : `codegen: ${files.length} files already up to date (${took})`);
  return 0;
}

if (process.argv[1]?.endsWith('codegen/main.ts')) {
  process.exitCode = await main(process.argv.slice(2));
}
