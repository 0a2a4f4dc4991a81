/**
 * The API reference: typedoc over the public entry point `src/index.ts` (options in
 * `typedoc.json`). Warnings are reported, never fatal; the program is only what the entry point
 * reaches and type errors are left to `tsc`, so a run takes seconds.
 */
import { join } from 'node:path';
import { Application, TSConfigReader, TypeDocReader } from 'typedoc';
import { ROOT } from './site.ts';

export interface ApiResult {
  built: boolean;
  warnings: number;
  errors: number;
  ms: number;
}

export async function buildApi(out: string): Promise<ApiResult> {
  const started = performance.now();
  const cwd = process.cwd();
  // typedoc resolves typedoc.json's relative paths against the working directory.
  process.chdir(ROOT);
  try {
    // Explicit readers: the default ones would also parse process.argv (our own CLI's flags).
    const app = await Application.bootstrapWithPlugins(
      { options: join(ROOT, 'typedoc.json'), out },
      [new TypeDocReader(), new TSConfigReader()],
    );
    const project = await app.convert();
    if (project) await app.generateDocs(project, out);
    const { warningCount: warnings, errorCount: errors } = app.logger;
    return { built: !!project && errors === 0, warnings, errors, ms: performance.now() - started };
  } finally {
    process.chdir(cwd);
  }
}
