/**
 * A strict XML well-formedness check for the generated SVG diagrams, with no dependency: one
 * prolog (XML declaration, comments, DOCTYPE), exactly one root element, every tag closed in
 * order, attributes quoted and not repeated, and only the five predefined or numeric entity
 * references. Enough for Graphviz's output; it does not validate against a DTD.
 */

export interface XmlRoot {
  name: string;
  attrs: Map<string, string>;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

/** Checks `text`; returns the root element, or throws an Error naming the offset of the first problem. */
export function checkXml(text: string): XmlRoot {
  let i = 0;
  let root: XmlRoot | undefined;
  const stack: string[] = [];
  const fail = (why: string): never => {
    throw new Error(`XML: ${why} at offset ${i} (…${JSON.stringify(text.slice(Math.max(0, i - 30), i + 30))}…)`);
  };
  const checkText = (s: string) => {
    for (let k = 0; k < s.length; k++) {
      if (s[k] === '<') fail('unescaped <');
      if (s[k] === '&' && !ENTITY.test(s.slice(k))) fail('bad entity reference');
    }
  };
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  while (i < text.length) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      if (text.slice(i + 4, end).includes('--')) fail('"--" inside a comment');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<!DOCTYPE', i)) {
      if (root || stack.length) fail('DOCTYPE after the root element');
      const end = text.indexOf('>', i);
      if (end < 0) fail('unterminated DOCTYPE');
      i = end + 1;
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      if (!stack.length) fail('CDATA outside the root');
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
      continue;
    }
    if (text.startsWith('</', i)) {
      i += 2;
      const m = NAME.exec(text.slice(i)) ?? fail('bad end tag');
      const name = m[0];
      i += name.length;
      while (/\s/.test(text[i] ?? '')) i++;
      if (text[i] !== '>') fail('bad end tag');
      i++;
      if (stack.pop() !== name) fail(`end tag </${name}> does not match`);
      continue;
    }
    if (text[i] === '<') {
      i++;
      const m = NAME.exec(text.slice(i)) ?? fail('bad start tag');
      const name = m[0];
      i += name.length;
      if (!stack.length && root) fail('a second root element');
      const attrs = new Map<string, string>();
      const outer = !stack.length;
      for (;;) {
        const ws = /^\s*/.exec(text.slice(i))![0];
        i += ws.length;
        if (text.startsWith('/>', i)) { i += 2; break; }
        if (text[i] === '>') { i++; stack.push(name); break; }
        if (!ws) fail('attributes must be separated by white space');
        const a = NAME.exec(text.slice(i)) ?? fail('bad attribute name');
        i += a[0].length;
        if (attrs.has(a[0])) fail(`attribute ${a[0]} repeated`);
        const eq = /^\s*=\s*(["'])/.exec(text.slice(i)) ?? fail(`attribute ${a[0]} has no quoted value`);
        i += eq[0].length;
        const end = text.indexOf(eq[1], i);
        if (end < 0) fail('unterminated attribute value');
        const value = text.slice(i, end);
        checkText(value);
        attrs.set(a[0], value);
        i = end + 1;
      }
      if (outer) root = { name, attrs };
      continue;
    }
    const next = text.indexOf('<', i);
    const chunk = text.slice(i, next < 0 ? text.length : next);
    if (!stack.length && chunk.trim()) fail('text outside the root element');
    checkText(chunk);
    i += chunk.length;
  }
  if (stack.length) fail(`<${stack[stack.length - 1]}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

/** A length attribute of SVG in points or pixels (`62pt`, `120px`, `80`), as a number; NaN otherwise. */
export function svgLength(v: string | undefined): number {
  const m = /^([\d.]+)(pt|px)?$/.exec(v ?? '');
  return m ? Number(m[1]) : NaN;
}
