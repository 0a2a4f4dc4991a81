/**
 * `npm run docs`: the rendered spec as a static site in docs/site/ (index.html), with the API
 * reference in docs/site/api/. `--out DIR` writes elsewhere; `--no-api` skips typedoc.
 */
import { join, resolve } from 'node:path';
import { buildSite, ROOT } from './site.ts';

export interface DocsArgs {
  out: string;
  api: boolean;
}

export class DocsUsageError extends Error {}

export function parseDocsArgs(args: string[]): DocsArgs {
  let out = join(ROOT, 'docs/site');
  let api = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out') {
      const v = args[++i];
      if (!v) throw new DocsUsageError('--out needs a directory');
      out = resolve(v);
    } else if (a === '--no-api') api = false;
    else throw new DocsUsageError(`unknown argument '${a}'`);
  }
  return { out, api };
}

/** Builds the site; returns the exit code (1 when typedoc reported errors). */
export async function runDocs(args: DocsArgs): Promise<number> {
  let r;
  try {
    r = await buildSite({ out: args.out, api: args.api, log: (l) => console.log(l) });
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith('docs: refusing')) throw e;
    console.error(e.message);
    return 1;
  }
  console.log(`docs: done in ${(r.ms / 1000).toFixed(1)} s — open ${join(args.out, 'index.html')}`);
  if (args.api && !r.api.built) {
    console.error(`docs: the API reference failed (${r.api.errors} typedoc errors); the site links to a stub page`);
    return 1;
  }
  return 0;
}

if (process.argv[1]?.endsWith('src/docs/build.ts')) {
  try {
    process.exitCode = await runDocs(parseDocsArgs(process.argv.slice(2)));
  } catch (e) {
    if (!(e instanceof DocsUsageError)) throw e;
    console.error(`docs: ${e.message}\nusage: npm run docs [-- --out DIR] [--no-api]`);
    process.exitCode = 2;
  }
}
