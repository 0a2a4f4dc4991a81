/**
 * Markdown building blocks for the rendered spec (`docs/spec/*.md`).
 *
 * The output is a small, fixed subset of GitHub-flavoured Markdown — headings, paragraphs,
 * pipe tables, fenced code blocks, flat lists, inline code, links, images (the SVG diagrams),
 * `**bold**` and one piece of raw HTML, the anchor `<a id="…"></a>` — so that it reads on a forge and so that
 * `src/docs/markdown.ts` can turn it into HTML without a Markdown library. Anything written
 * here must stay inside that subset.
 */
import type { Req, Spec, SpecFile } from './ir.ts';
import { header } from './naming.ts';

/** Where the generated Markdown lives, relative to the repository root. */
export const DOCS_DIR = 'docs/spec';

/** From a page in {@link DOCS_DIR} to the repository root. */
export const TO_ROOT = '../../';

/** Where each requirement is rendered: the page and the text of the element it belongs to. */
export interface ReqHome {
  page: string;
  element: string;
}

/** State shared by the page emitters of one run. */
export interface DocsCtx {
  spec: Spec;
  /** Filled as pages render their requirements; the index page reads it. */
  reqHome: Map<string, ReqHome>;
}

/** An HTML comment naming the sources of a page and their hashes (naming.ts `header()` as HTML). */
export function docsHeader(sources: SpecFile[], extra: Array<{ path: string; sha256: string }> = []): string {
  const lines = header(sources, '').split('\n').filter((l) => l).map((l) => l.trim());
  for (const x of extra) lines.splice(lines.length - 1, 0, `Uses ${x.path} (sha256 ${x.sha256.slice(0, 16)}).`);
  return `<!--\n${lines.map((l) => `  ${l}`).join('\n')}\n-->\n`;
}

/** An anchor that both GitHub and our HTML renderer keep. */
export function anchor(id: string): string {
  return `<a id="${id}"></a>`;
}

export function heading(level: number, id: string | undefined, text: string): string {
  return `${'#'.repeat(level)} ${id ? anchor(id) : ''}${text}\n\n`;
}

/** Inline code, safe for any content (backticks inside get a longer fence). */
export function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

export function link(text: string, href: string): string {
  return `[${text}](${href})`;
}

/** Escapes prose outside code spans: `<` would start raw HTML, `[` a link. */
function escapeProse(s: string): string {
  return s.split(/(`+[^`]*`+)/).map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;').replace(/\[/g, '\\[').replace(/\]/g, '\\]'))).join('');
}

/** One line of prose: the spec's hard-wrapped text joined, escaped. */
export function inline(text: string): string {
  return escapeProse(text.trim().split(/\s*\n\s*/).join(' '));
}

/** Multi-paragraph prose, blank lines kept as paragraph breaks. */
export function prose(text: string): string {
  const paras = text.trim().split(/\n\s*\n/).map((p) => inline(p));
  return paras.filter((p) => p).join('\n\n') + '\n';
}

/** Escapes a table cell (pipes, newlines). */
export function cell(s: string): string {
  return s.replace(/\n+/g, ' ').replace(/\|/g, '\\|');
}

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map((r) => line(r))].join('\n') + '\n';
}

/** A fenced code block. */
export function fence(body: string, lang = ''): string {
  if (body.includes('```')) throw new Error('a code block may not contain ```');
  return '```' + lang + '\n' + body.replace(/\n$/, '') + '\n```\n';
}

export function bullets(items: string[]): string {
  return items.map((i) => `- ${i}`).join('\n') + '\n';
}

/** Anchor id of a requirement. */
export function reqAnchor(id: string): string {
  return `req-${id}`;
}

/**
 * The requirements of an element, each with its anchor, level and text. Registers each id's
 * home so the requirements index can link to it; an id rendered twice is a bug of the emitter.
 */
export function reqList(ctx: DocsCtx, page: string, element: string, reqs: Req[]): string {
  if (!reqs.length) return '';
  const items = reqs.map((r) => {
    if (ctx.reqHome.has(r.id)) throw new Error(`emit-docs: requirement ${r.id} rendered twice`);
    ctx.reqHome.set(r.id, { page, element });
    return `${anchor(reqAnchor(r.id))}${code(r.id)} **${r.level}**: ${inline(r.text)}`;
  });
  return bullets(items);
}

/** A link to a requirement from anywhere (the page it is defined on must render it). */
export function reqLink(id: string, page: string): string {
  return link(code(id), `${page}#${reqAnchor(id)}`);
}

/** `0x1c`, `0x100`, `0x4a535001`: at least two hex digits, as the spec writes them. */
export function hex(v: bigint | number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/** A decimal number, with its power-of-two form when it has one (`9007199254740991 (2^53 − 1)`). */
export function num(v: bigint): string {
  const s = v.toString();
  if (v < 65535n) return s;
  const pow = (x: bigint) => (x > 0n && (x & (x - 1n)) === 0n ? x.toString(2).length - 1 : -1);
  if (pow(v) > 0) return `${s} (2^${pow(v)})`;
  if (pow(v + 1n) > 0) return `${s} (2^${pow(v + 1n)} − 1)`;
  return s;
}

/** A byte count: `1 byte`, `0..20 bytes`, `unbounded`. */
export function byteRange(lo: number, hi: number): string {
  if (hi === Infinity) return lo ? `≥ ${lo} byte${lo === 1 ? '' : 's'}` : 'any length';
  if (lo === hi) return `${lo} byte${lo === 1 ? '' : 's'}`;
  return `${lo}..${hi} bytes`;
}

/** One page of the rendered spec, before its header is added. */
export interface Page {
  /** File name inside {@link DOCS_DIR}, e.g. `frames.md`. */
  file: string;
  /** Title for the navigation. */
  title: string;
  body: string;
  /** Spec files the page is made from (named, with hashes, in its header). */
  sources: SpecFile[];
  /** Other committed inputs named in the header (vector files). */
  uses?: Array<{ path: string; sha256: string }>;
}

/** The summary line of a target's vectors: counts, the file, and the tcId range. */
export function vectorLine(v: { path: string } | undefined, t: { valid: number; invalid: number; firstTcId: number; lastTcId: number } | undefined): string {
  if (!v || !t) return 'Vectors: none yet.\n';
  const file = v.path.split('/').pop()!;
  return `Vectors: **${t.valid} valid, ${t.invalid} invalid** in ${link(file, TO_ROOT + v.path)} (tcId ${t.firstTcId}–${t.lastTcId}).\n`;
}
