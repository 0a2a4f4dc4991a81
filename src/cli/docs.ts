/**
 * `jsp docs --out DIR`: the rendered spec (and API reference) as a static site. The builder is
 * imported only when the command runs, so `jsp --help` stays fast.
 */

export const docsUsage = `jsp docs [--out DIR] [--no-api]

  --out DIR         where to write the site (default: docs/site); a directory of an earlier
                    build is emptied first, any other non-empty directory is refused
  --no-api          skip the API reference (typedoc); api/index.html is then a stub`;

export async function docsCommand(args: string[]): Promise<number> {
  const { DocsUsageError, parseDocsArgs, runDocs } = await import('../docs/build.ts');
  let parsed;
  try {
    parsed = parseDocsArgs(args);
  } catch (e) {
    if (!(e instanceof DocsUsageError)) throw e;
    console.error(`jsp docs: ${e.message}\n\n${docsUsage}`);
    return 2;
  }
  return runDocs(parsed);
}
