/**
 * What every part of the loader shares: the raw parsed file, the {@link SpecError} that names file,
 * line and JSON path, and small helpers turning YAML values into IR values.
 */
import { isNode, type Document, type LineCounter } from 'yaml';
import type * as ir from './ir.ts';

/** A spec error: `spec/frames.yaml:42: /structs/3/fields/1: message`. */
export class SpecError extends Error {
  override name = 'SpecError';
  constructor(readonly file: string, readonly path: string, message: string, readonly line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${path || '/'}: ${message}`);
  }
}

/** One parsed YAML file of `spec/`, with what is needed to report lines. */
export interface RawFile { path: string; sha256: string; data: any; doc: Document; lines: LineCounter }

/** The line of the deepest node of `path` that the file has. */
export function lineOf(f: RawFile, path: Array<string | number>): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = f.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return f.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `/structs/3/id` → `['structs', 3, 'id']`. */
export function splitPointer(p: string): Array<string | number> {
  return p.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/** A SpecError at `path` of `f`, with its line. */
export function errorAt(f: RawFile, path: Array<string | number>, message: string): SpecError {
  return new SpecError(f.path, '/' + path.join('/'), message, lineOf(f, path));
}

export function toBig(v: unknown): bigint {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`integer ${v} is not exact; write it as a string`);
    return BigInt(v);
  }
  return BigInt(v as string);
}

export function reqs(raw: any): ir.Req[] {
  return (raw?.req ?? []).map((r: any) => ({ id: r.id, level: r.level, text: String(r.text).trim() }));
}

export function documented(raw: any): ir.Documented {
  return { doc: String(raw.doc).trim(), req: reqs(raw) };
}

/** Fails on the second element of `items` (at JSON pointer `where`) with an id already seen. */
export function uniq<T extends { id: string }>(items: T[], f: RawFile, where: string): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.id)) throw new SpecError(f.path, `${where}/${i}/id`, `duplicate id '${it.id}'`, lineOf(f, [...splitPointer(where), i, 'id']));
    seen.add(it.id);
  });
}

/** Wraps a build step so that any error it throws names the file and path. */
export function at<T>(f: RawFile, path: Array<string | number>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SpecError) throw e;
    throw errorAt(f, path, (e as Error).message);
  }
}

/** The header fields every file has (`meta`). */
export function fileMeta(f: RawFile): ir.SpecFile {
  const m = f.data.meta;
  return { path: f.path, sha256: f.sha256, id: m.id, kind: m.kind, title: m.title, version: m.version, xref: m.xref, ...documented(m) };
}
