/**
 * Markdown → HTML for exactly the subset `codegen/emit-docs*.ts` writes: ATX headings (with an
 * optional leading `<a id="…"></a>` that becomes the heading's id), paragraphs, GFM pipe
 * tables, fenced code blocks, flat `-` and `1.` lists, inline code, links, images (`![alt](src)`,
 * the alt text taken literally), `**bold**`,
 * backslash escapes, entities, the `<a id>` anchor and HTML comments.
 *
 * A converter of our own rather than a library: the generator and the renderer are written
 * together, the subset is small, and the site then needs no dependency beyond Node. Anything
 * outside the subset renders as escaped text — never as raw HTML.
 */

export interface Heading {
  level: number;
  id: string;
  /** Heading text as HTML (inline markup rendered). */
  html: string;
}

export interface Rendered {
  html: string;
  headings: Heading[];
  /** Every id the page defines (headings and inline anchors). */
  ids: string[];
}

export interface RenderOptions {
  /** Maps a link target as written in the Markdown to the href the HTML uses. */
  href?: (target: string) => string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ESC[c]);

const ANCHOR = /^<a id="([^"<>]+)"><\/a>/;
const ENTITY = /^&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/;

/** Renders inline Markdown; ids of inline anchors are pushed to `ids`. */
export function renderInline(src: string, opts: RenderOptions = {}, ids: string[] = []): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const rest = src.slice(i);
    if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const close = src.indexOf(run, i + run.length);
      if (close >= 0) {
        let body = src.slice(i + run.length, close);
        if (body.length > 1 && body.startsWith(' ') && body.endsWith(' ')) body = body.slice(1, -1);
        out += `<code>${escapeHtml(body)}</code>`;
        i = close + run.length;
        continue;
      }
      out += escapeHtml(run);
      i += run.length;
      continue;
    }
    if (c === '\\' && i + 1 < src.length && /[\\`*_[\]()#+\-.!|<>&]/.test(src[i + 1])) {
      out += escapeHtml(src[i + 1]);
      i += 2;
      continue;
    }
    if (c === '<') {
      const a = ANCHOR.exec(rest);
      if (a) {
        ids.push(a[1]);
        out += `<a id="${escapeHtml(a[1])}"></a>`;
        i += a[0].length;
        continue;
      }
    }
    if (c === '&') {
      const e = ENTITY.exec(rest);
      if (e) {
        out += e[0];
        i += e[0].length;
        continue;
      }
    }
    if (c === '*' && rest.startsWith('**')) {
      const close = src.indexOf('**', i + 2);
      if (close > i + 2) {
        out += `<strong>${renderInline(src.slice(i + 2, close), opts, ids)}</strong>`;
        i = close + 2;
        continue;
      }
    }
    if (c === '!' && src[i + 1] === '[') {
      const end = closingBracket(src, i + 1);
      if (end > 0 && src[end + 1] === '(') {
        const close = src.indexOf(')', end + 2);
        if (close > 0) {
          const target = src.slice(end + 2, close);
          const href = opts.href ? opts.href(target) : target;
          out += `<img src="${escapeHtml(href)}" alt="${escapeHtml(src.slice(i + 2, end))}">`;
          i = close + 1;
          continue;
        }
      }
    }
    if (c === '[') {
      const end = closingBracket(src, i);
      if (end > 0 && src[end + 1] === '(') {
        const close = src.indexOf(')', end + 2);
        if (close > 0) {
          const target = src.slice(end + 2, close);
          const href = opts.href ? opts.href(target) : target;
          out += `<a href="${escapeHtml(href)}">${renderInline(src.slice(i + 1, end), opts, ids)}</a>`;
          i = close + 1;
          continue;
        }
      }
    }
    out += ESC[c] ?? c;
    i++;
  }
  return out;
}

/** Index of the `]` closing the `[` at `open`, skipping code spans and escapes; -1 if none. */
function closingBracket(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; }
    if (c === '`') {
      const run = /^`+/.exec(s.slice(i))![0];
      const close = s.indexOf(run, i + run.length);
      if (close < 0) return -1;
      i = close + run.length - 1;
      continue;
    }
    if (c === '[') depth++;
    if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

/** Splits a table row on unescaped pipes outside code spans; `\|` becomes `|` in the cell. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let tick = '';
  const s = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && s[i + 1] === '|') { cur += '|'; i++; continue; }
    if (c === '`') {
      const run = /^`+/.exec(s.slice(i))![0];
      tick = tick === run ? '' : tick || run;
      cur += run;
      i += run.length - 1;
      continue;
    }
    if (c === '|' && !tick) { cells.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

/** A slug for headings without an explicit anchor. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/<[^>]*>/g, '').replace(/&[a-z]+;/g, '').replace(/[^a-z0-9_.\- ]/g, '').trim().replace(/\s+/g, '-') || 'section';
}

const isTableSep = (l: string | undefined) => !!l && /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(l);

export function renderMarkdown(md: string, opts: RenderOptions = {}): Rendered {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  const headings: Heading[] = [];
  const ids: string[] = [];
  const inl = (s: string) => renderInline(s, opts, ids);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) { i++; continue; }
    if (line.startsWith('<!--')) {
      const start = i;
      while (i < lines.length && !lines[i].includes('-->')) i++;
      out.push(lines.slice(start, i + 1).join('\n'));
      i++;
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^```\s*$/.test(lines[i])) body.push(lines[i++]);
      i++;
      const cls = fence[1] ? ` class="language-${fence[1]}"` : '';
      out.push(`<pre><code${cls}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      let text = h[2].trim();
      const a = ANCHOR.exec(text);
      let id: string;
      if (a) { id = a[1]; text = text.slice(a[0].length); } else id = slug(text);
      ids.push(id);
      const html = inl(text);
      headings.push({ level: h[1].length, id, html });
      out.push(`<h${h[1].length} id="${escapeHtml(id)}">${html}</h${h[1].length}>`);
      i++;
      continue;
    }
    if (line.startsWith('|') && isTableSep(lines[i + 1])) {
      const head = splitRow(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) rows.push(splitRow(lines[i++]));
      const th = head.map((c) => `<th>${inl(c)}</th>`).join('');
      const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${inl(c)}</td>`).join('')}</tr>`).join('\n');
      out.push(`<div class="table"><table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${trs}\n</tbody>\n</table></div>`);
      continue;
    }
    const item = /^(-|\d+\.)\s+/;
    if (item.test(line)) {
      const ordered = line[0] !== '-';
      const items: string[] = [];
      while (i < lines.length && (item.test(lines[i]) || (/^\s{2,}\S/.test(lines[i]) && items.length))) {
        if (item.test(lines[i])) items.push(lines[i].replace(item, ''));
        else items[items.length - 1] += ' ' + lines[i].trim();
        i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>\n${items.map((t) => `<li>${inl(t)}</li>`).join('\n')}\n</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i].trim() && !/^(#{1,6}\s|```|<!--)/.test(lines[i]) && !item.test(lines[i]) && !(lines[i].startsWith('|') && isTableSep(lines[i + 1]))) {
      para.push(lines[i++].trim());
    }
    out.push(`<p>${inl(para.join(' '))}</p>`);
  }
  return { html: out.join('\n') + '\n', headings, ids };
}
