/**
 * A small lexical scan of TypeScript source for the sans-IO rule: it blanks comments (and, for
 * the identifier check, the contents of strings, template text and regular expressions) so that
 * prose mentioning `Date.now` or `node:crypto` never trips it, then looks for import specifiers
 * and forbidden global calls in what is left.
 */
import { builtinModules } from 'node:module';

/** What `strip` keeps of string literals. */
type Keep = 'strings' | 'code';

/**
 * The source with comments replaced by spaces (newlines kept, so positions map to lines), and —
 * with `keep = 'code'` — the contents of string literals, template text and regex literals too.
 */
export function strip(src: string, keep: Keep): string {
  const out: string[] = [];
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  let i = 0;
  /** Brace depth of each `${` we are inside, so that `}` ends the substitution and not a block. */
  const templates: number[] = [];
  let depth = 0;
  let prev = ''; // last significant character of code, to tell a regex from a division
  const emitString = (start: number, end: number) => {
    const body = src.slice(start + 1, end - 1);
    out.push(src[start], keep === 'strings' ? body : blank(body), src.slice(end - 1, end));
  };
  const template = () => {
    // at src[i] inside template text (after ` or }); runs to ` or ${
    const start = i;
    while (i < src.length && src[i] !== '`' && !(src[i] === '$' && src[i + 1] === '{')) i += src[i] === '\\' ? 2 : 1;
    const text = src.slice(start, i);
    out.push(keep === 'strings' ? text : blank(text));
    if (src[i] === '`') {
      out.push('`');
      i++;
      prev = '`';
    } else if (i < src.length) {
      out.push('${');
      i += 2;
      templates.push(depth);
      prev = '{';
    }
  };
  while (i < src.length) {
    const c = src[i], n = src[i + 1];
    if (c === '/' && n === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      out.push(blank(src.slice(i, stop)));
      i = stop;
    } else if (c === '/' && n === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out.push(blank(src.slice(i, stop)));
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      emitString(i, j + 1);
      i = j + 1;
      prev = c;
    } else if (c === '`') {
      out.push('`');
      i++;
      template();
    } else if (c === '/' && (prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev) || /\b(?:return|typeof|case|in|of)\s*$/.test(src.slice(Math.max(0, i - 8), i)))) {
      // a regular-expression literal
      let j = i + 1, cls = false;
      while (j < src.length && src[j] !== '\n' && (cls || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') cls = true;
        else if (src[j] === ']') cls = false;
        j++;
      }
      emitString(i, j + 1);
      i = j + 1;
      prev = ')';
    } else {
      if (c === '{') depth++;
      if (c === '}') {
        if (templates.length && templates[templates.length - 1] === depth) {
          templates.pop();
          out.push('}');
          i++;
          template();
          continue;
        }
        depth--;
      }
      out.push(c);
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  return out.join('');
}

/** One rule broken at a line. */
export interface Finding { line: number; rule: string; text: string }

const NODE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** Global time, timers and randomness that sans-IO code must be handed instead. */
const FORBIDDEN: [string, RegExp][] = [
  ['Date.now', /\bDate\s*\.\s*now\b/],
  ['new Date()', /\bnew\s+Date\s*\(\s*\)/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['crypto.getRandomValues', /\bcrypto\s*\.\s*(?:getRandomValues|randomUUID)\b/],
  ['setTimeout', /\bsetTimeout\b/],
  ['setInterval', /\bsetInterval\b/],
  ['setImmediate', /\bsetImmediate\b/],
  ['process', /(?<![.\w$])process\s*\./],
  ['require', /(?<![.\w$])require\s*\(/],
  ['globalThis', /\bglobalThis\b/],
];

/**
 * Import specifiers: static `import … from`, `export … from`, bare `import '…'`, and
 * `import('…')`. Matched on the code with string contents blanked (so an import written inside
 * a string is not one), then read back from the same span of the source, which has the same length.
 */
const SPECIFIERS = [
  /\b(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"\n]*)\1/dg,
  /\bimport\s*(['"])([^'"\n]*)\1/dg,
  /\bimport\s*\(\s*(['"])([^'"\n]*)\1/dg,
];

const lineOf = (s: string, index: number) => s.slice(0, index).split('\n').length;

/** The sans-IO violations in one file's source. */
export function scan(src: string): Finding[] {
  const findings: Finding[] = [];
  const withStrings = strip(src, 'strings');
  const code = strip(src, 'code');
  for (const re of SPECIFIERS) {
    for (const m of code.matchAll(re)) {
      const [from, to] = m.indices![2]!;
      const spec = withStrings.slice(from, to);
      if (spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0])) {
        findings.push({ line: lineOf(withStrings, m.index!), rule: 'node import', text: spec });
      }
    }
  }
  code.split('\n').forEach((text, k) => {
    for (const [rule, re] of FORBIDDEN) if (re.test(text)) findings.push({ line: k + 1, rule, text: text.trim() });
  });
  return findings.sort((a, b) => a.line - b.line);
}
