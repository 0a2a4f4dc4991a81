/**
 * The static site of the rendered spec: `npm run docs` / `jsp docs --out DIR`.
 *
 * The pages are the Markdown of `codegen/emit-docs.ts` — generated afresh from `spec/`, so the
 * site cannot lag behind it, and byte for byte the committed `docs/spec/*.md` whenever
 * `npm run codegen -- --check` passes — rendered to HTML by `./markdown.ts`, each with a
 * navigation sidebar, and with the SVG diagrams they embed (`diagrams/`, rendered afresh by
 * Graphviz as `npm run codegen` does). Repository files the pages link to (spec YAML, vectors, the .proto) are
 * copied under `files/` so that the site is self-contained; the API reference (typedoc) goes
 * to `api/`.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../codegen/load.ts';
import { docPages, type DocPage } from '../../codegen/emit-docs.ts';
import { docDiagrams } from '../../codegen/emit-docs-diagrams.ts';
import { escapeHtml, renderMarkdown, type Heading } from './markdown.ts';
import { STYLE } from './style.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SiteOptions {
  /** Output directory; emptied first when it holds an earlier build, refused when it holds anything else. */
  out: string;
  /** Build the API reference with typedoc (several seconds); otherwise `api/` holds a stub page. */
  api?: boolean;
  /** Progress messages. */
  log?: (line: string) => void;
}

export interface SiteResult {
  /** HTML pages written, relative to `out`. */
  pages: string[];
  /** Repository files copied under `files/`. */
  files: string[];
  /** Diagrams written, relative to `out` (`diagrams/…svg`). */
  diagrams: string[];
  api: { built: boolean; warnings: number; errors: number; ms: number };
  ms: number;
}

/** `README.md` → `index.html`, `frames.md` → `frames.html`. */
export function htmlName(mdFile: string): string {
  return mdFile === 'README.md' ? 'index.html' : mdFile.replace(/\.md$/, '.html');
}

/** Maps a Markdown link target to the site's, collecting repository files to copy. */
function hrefMapper(copies: Set<string>): (target: string) => string {
  return (target) => {
    if (/^[a-z]+:/.test(target) || target.startsWith('#')) return target;
    const [path, hash] = target.split('#', 2);
    const frag = hash !== undefined ? `#${hash}` : '';
    if (path.startsWith('../../')) {
      const repoPath = normalize(path.slice('../../'.length));
      if (repoPath.startsWith('..')) throw new Error(`docs: link ${target} leaves the repository`);
      copies.add(repoPath);
      return `files/${repoPath}${frag}`;
    }
    if (path.endsWith('.md') && !path.includes('/')) return htmlName(path) + frag;
    return target;
  };
}

function nav(pages: DocPage[], current: string, headings: Heading[]): string {
  const items = pages.map((p) => {
    const href = htmlName(p.file);
    if (p.file !== current) return `<li><a href="${href}">${escapeHtml(p.title)}</a></li>`;
    const sub = headings.filter((h) => h.level === 2).map((h) => `<li><a href="#${escapeHtml(h.id)}">${h.html.replace(/<a id="[^"]*"><\/a>/g, '')}</a></li>`).join('');
    return `<li class="current"><a href="${href}" aria-current="page">${escapeHtml(p.title)}</a>${sub ? `<ul>${sub}</ul>` : ''}</li>`;
  });
  return `<nav class="sidebar" aria-label="Specification">
<a class="brand" href="index.html">JetStreamProto</a>
<p class="tagline">Rendered specification</p>
<ul>${items.join('\n')}</ul>
<p class="api"><a href="api/index.html">API reference (typedoc)</a></p>
</nav>`;
}

function page(title: string, navHtml: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — JetStreamProto</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css">
</head>
<body>
${navHtml}
<main>
${body}</main>
</body>
</html>
`;
}

const API_STUB = page('API reference', '<nav class="sidebar"><a class="brand" href="../index.html">JetStreamProto</a></nav>',
  '<h1>API reference</h1>\n<p>The API reference was not built in this run. Run <code>npm run docs</code> to build it with typedoc.</p>\n<p><a href="../index.html">Back to the specification</a></p>\n')
  .replace('href="style.css"', 'href="../style.css"');

/** Marks a directory as a site this builder wrote, so a rebuild may empty it. */
const MARKER = '.jsp-docs-site';

/** Empties `out` — only when it is missing, empty, a site we built or the repository's docs/site (never a user's directory). */
function clearOutput(out: string): void {
  if (existsSync(out)) {
    const entries = readdirSync(out);
    const ours = resolve(out) === resolve(ROOT, 'docs/site');
    if (entries.length && !entries.includes(MARKER) && !ours) {
      throw new Error(`docs: refusing to empty ${out}: it is not empty and was not written by the docs builder`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MARKER), 'Written by src/docs/site.ts; the next build empties this directory.\n');
}

/** Builds the site into `opts.out`. */
export async function buildSite(opts: SiteOptions): Promise<SiteResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const out = opts.out;
  clearOutput(out);

  const spec = loadSpec();
  const pages = docPages(spec);
  const diagrams = await docDiagrams(spec);
  for (const d of diagrams) {
    mkdirSync(dirname(join(out, d.path)), { recursive: true });
    writeFileSync(join(out, d.path), d.content);
  }
  const copies = new Set<string>();
  const href = hrefMapper(copies);
  const written: string[] = [];
  for (const p of pages) {
    const r = renderMarkdown(p.markdown, { href });
    const name = htmlName(p.file);
    writeFileSync(join(out, name), page(p.title, nav(pages, p.file, r.headings), r.html));
    written.push(name);
  }
  writeFileSync(join(out, 'style.css'), STYLE);
  for (const f of [...copies].sort()) {
    const src = join(ROOT, f);
    if (!existsSync(src)) throw new Error(`docs: a page links to ${f}, which does not exist`);
    mkdirSync(dirname(join(out, 'files', f)), { recursive: true });
    copyFileSync(src, join(out, 'files', f));
  }
  log(`docs: ${written.length} pages, ${diagrams.length} diagrams and ${copies.size} linked files in ${out}`);

  const api = { built: false, warnings: 0, errors: 0, ms: 0 };
  mkdirSync(join(out, 'api'), { recursive: true });
  if (opts.api) {
    const { buildApi } = await import('./typedoc.ts');
    Object.assign(api, await buildApi(join(out, 'api')));
    log(`docs: API reference in ${join(out, 'api')} (${(api.ms / 1000).toFixed(1)} s, ${api.warnings} warnings, ${api.errors} errors)`);
  }
  if (!api.built) writeFileSync(join(out, 'api', 'index.html'), API_STUB);
  return { pages: written, files: [...copies].sort(), diagrams: diagrams.map((d) => d.path), api, ms: performance.now() - started };
}
