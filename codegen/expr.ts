/**
 * The spec's tiny expression language: parsing, and interval bounds.
 *
 *   expr       := term (('+' | '-') term)*
 *   term       := INT | IDENT | 'len(' IDENT ')' | 'count(' IDENT ')' | 'rest'
 *   constraint := expr ('==' | '!=' | '<=' | '>=' | '<' | '>') expr
 *   cond       := '!'? IDENT
 *
 * Identifiers are resolved by the caller (field, parameter or constant).
 */
import type { Atom, CompareOp, Cond, Expr } from './ir.ts';

export class ExprError extends Error {
  override name = 'ExprError';
}

const TOKEN = /\s*(?:(0x[0-9a-fA-F]+|\d+)|(len|count)\(\s*([a-z][a-z0-9_]*)\s*\)|([a-z][a-z0-9_]*)|([+-]))/y;

/** Resolves a bare identifier to an atom; returns undefined when the name is unknown. */
export type Resolve = (id: string) => Atom | undefined;

export function parseExpr(text: string, resolve: Resolve): Expr {
  const terms: Expr['terms'] = [];
  TOKEN.lastIndex = 0;
  let sign: 1 | -1 = 1;
  let expectTerm = true;
  let pos = 0;
  const src = text.trim();
  while (pos < src.length) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new ExprError(`cannot parse expression '${text}' at '${src.slice(pos)}'`);
    pos = TOKEN.lastIndex;
    if (m[5]) {
      if (expectTerm) throw new ExprError(`expression '${text}': operator '${m[5]}' where a term was expected`);
      sign = m[5] === '-' ? -1 : 1;
      expectTerm = true;
      continue;
    }
    if (!expectTerm) throw new ExprError(`expression '${text}': missing operator before '${m[0].trim()}'`);
    let atom: Atom;
    if (m[1]) atom = { kind: 'int', value: BigInt(m[1]) };
    else if (m[2]) atom = { kind: m[2] as 'len' | 'count', id: m[3] };
    else if (m[4] === 'rest') atom = { kind: 'rest' };
    else {
      const r = resolve(m[4]);
      if (!r) throw new ExprError(`expression '${text}': unknown name '${m[4]}'`);
      atom = r;
    }
    terms.push({ sign, atom });
    sign = 1;
    expectTerm = false;
  }
  if (expectTerm) throw new ExprError(`expression '${text}' is empty or ends with an operator`);
  return { text: src, terms };
}

const COMPARE = /^(.*?)(==|!=|<=|>=|<|>)(.*)$/;

export function parseComparison(text: string, resolve: Resolve): { left: Expr; op: CompareOp; right: Expr } {
  const m = COMPARE.exec(text);
  if (!m) throw new ExprError(`constraint '${text}' has no comparison operator`);
  return { left: parseExpr(m[1], resolve), op: m[2] as CompareOp, right: parseExpr(m[3], resolve) };
}

export function parseCond(text: string): Cond {
  const m = /^\s*(!?)\s*([a-z][a-z0-9_]*)\s*$/.exec(text);
  if (!m) throw new ExprError(`condition '${text}' must be a flag name, optionally negated with '!'`);
  return { text: text.trim(), flag: m[2], negate: m[1] === '!' };
}

/** An inclusive interval; `hi` may be Infinity. */
export interface Interval { lo: number; hi: number }

/** Interval bounds of an expression, given bounds for each atom. */
export function exprBounds(e: Expr, atomBounds: (a: Atom) => Interval): Interval {
  let lo = 0;
  let hi = 0;
  for (const { sign, atom } of e.terms) {
    const b = atomBounds(atom);
    if (sign === 1) { lo += b.lo; hi += b.hi; } else { lo -= b.hi; hi -= b.lo; }
  }
  return { lo, hi };
}

/** Names an expression references as fields (plain refs, len() and count()). */
export function exprFieldRefs(e: Expr): string[] {
  const out: string[] = [];
  for (const { atom } of e.terms) {
    if (atom.kind === 'field' || atom.kind === 'len' || atom.kind === 'count') out.push(atom.id);
  }
  return out;
}
