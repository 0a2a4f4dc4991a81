/** `jsp codegen`: the generator from the command line. */
import { chmodSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { GeneratedFile } from '../../codegen/emit.ts';
import type { Spec } from '../../codegen/ir.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LANGS = ['ts', 'python', 'rust', 'c', 'go'];

export async function codegenCommand(args: string[]): Promise<number> {
  let lang: string | undefined;
  let out: string | undefined;
  let check = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--check') check = true;
    else if (a === '--lang') lang = args[++i];
    else if (a === '--out') out = args[++i];
    else {
      console.error(`jsp codegen: unknown argument '${a}' (see jsp codegen --help)`);
      return 2;
    }
  }
  if (lang === undefined && out === undefined) {
    const { main } = await import('../../codegen/main.ts');
    return main(check ? ['--check'] : []);
  }
  if (!lang || !out) {
    console.error('jsp codegen: --lang and --out go together');
    return 2;
  }
  if (!LANGS.includes(lang)) {
    console.error(`jsp codegen: no target for language '${lang}' (available: ${LANGS.join(', ')})`);
    return 2;
  }
  const dir = resolve(out);
  if (TARGETS[lang]) return writeTarget(lang, dir);
  const { generateAll } = await import('../../codegen/main.ts');
  let n = 0;
  for (const f of await generateAll()) {
    if (!f.path.startsWith('src/gen/')) continue;
    const dest = join(dir, 'gen', f.path.slice('src/gen/'.length));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, f.content);
    n++;
  }
  mkdirSync(join(dir, 'codec'), { recursive: true });
  for (const name of readdirSync(join(root, 'src/codec'))) cpSync(join(root, 'src/codec', name), join(dir, 'codec', name));
  // The output is a standalone ES module package: without this, Node would load it as CommonJS.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'jsp-codec', private: true, type: 'module', sideEffects: false }, null, 2) + '\n');
  console.log(`jsp codegen: wrote ${n} generated modules to ${join(dir, 'gen')} and the codec runtime to ${join(dir, 'codec')}`);
  return 0;
}

/**
 * The targets other than TypeScript: each emitter returns files relative to the output directory;
 * files starting with `#!` (the conformance adapters) are made executable.
 */
const TARGETS: Record<string, { load: () => Promise<(spec: Spec) => GeneratedFile[]>; what: string }> = {
  python: { load: async () => (await import('../../codegen/emit-python.ts')).emitPython, what: 'Python files (package jsp_codec/)' },
  rust: { load: async () => (await import('../../codegen/emit-rust.ts')).emitRust, what: 'Rust files (crate jsp-codec, built on first use)' },
  c: { load: async () => (await import('../../codegen/emit-c.ts')).emitC, what: 'C99 files (Makefile: libjsp_codec.a and adapter_bin, built on first use)' },
  go: { load: async () => (await import('../../codegen/emit-go.ts')).emitGo, what: 'Go files (module jspcodec, standard library only; adapter built on first use)' },
};

async function writeTarget(lang: string, dir: string): Promise<number> {
  const { loadSpec } = await import('../../codegen/load.ts');
  const target = TARGETS[lang];
  const files = (await target.load())(loadSpec());
  for (const f of files) {
    const dest = join(dir, f.path);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, f.content);
    if (f.content.startsWith('#!')) chmodSync(dest, 0o755);
  }
  console.log(`jsp codegen: wrote ${files.length} ${target.what} to ${dir}; conformance adapter: ${join(dir, 'adapter')}`);
  return 0;
}
