/**
 * The small line protocol of `jsp server --files`, `jsp recv`, `jsp client --get` and
 * `jsp send`, one request per bidirectional stream:
 *
 * - `GET <path>\n` → `OK <size>\n` then the file's bytes, or `ERR <reason>\n` (a path outside
 *   the served directory, a missing file, a directory).
 * - `PUT <name> <size> <sha256>\n` then the bytes → `OK <size> <sha256>\n` once the file is
 *   stored under its name and its SHA-256 checked, or `ERR <reason>\n`.
 *
 * A header line is UTF-8 and at most {@link MAX_LINE} bytes; the stream's end follows the reply.
 *
 * @module
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** The longest header line accepted, newline included. */
export const MAX_LINE = 4096;

/** A request or reply that breaks the protocol, or a request the server refuses. */
export class FileProtocolError extends Error {
  override name = 'FileProtocolError';
}

/**
 * Reads one `\n`-terminated line from `s` and puts back whatever followed it, so the rest can be
 * piped or iterated. Rejects when the stream ends first or the line exceeds {@link MAX_LINE}.
 */
export function readLine(s: Readable, what: string): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    const done = () => { s.off('readable', onReadable); s.off('end', onEnd); s.off('error', onError); };
    const onReadable = () => {
      for (let c: Buffer | null = s.read(); c !== null; c = s.read()) {
        buf = buf.length ? Buffer.concat([buf, c]) : c;
        const nl = buf.indexOf(10);
        if (nl >= 0 && nl < MAX_LINE) {
          done();
          if (nl + 1 < buf.length) s.unshift(buf.subarray(nl + 1));
          resolveLine(buf.subarray(0, nl).toString('utf8'));
          return;
        }
        if (buf.length >= MAX_LINE) {
          done();
          reject(new FileProtocolError(`${what}: the header line is longer than ${MAX_LINE} bytes`));
          return;
        }
      }
    };
    const onEnd = () => { done(); reject(new FileProtocolError(`${what}: the stream ended before a complete header line (${buf.length} bytes)`)); };
    const onError = (e: Error) => { done(); reject(e); };
    s.on('readable', onReadable);
    s.on('end', onEnd);
    s.on('error', onError);
  });
}

/** A parsed request line. */
export type FileRequest =
  | { readonly verb: 'GET'; readonly path: string }
  | { readonly verb: 'PUT'; readonly name: string; readonly size: number; readonly sha256: string };

/** Parses a request line (see the module comment). */
export function parseRequest(line: string): FileRequest {
  const get = /^GET (.+)$/.exec(line);
  if (get) return { verb: 'GET', path: get[1] };
  const put = /^PUT (\S+) (\d{1,15}) ([0-9a-f]{64})$/.exec(line);
  if (put) return { verb: 'PUT', name: put[1], size: Number(put[2]), sha256: put[3] };
  throw new FileProtocolError(`bad request '${line.slice(0, 80)}': expected 'GET <path>' or 'PUT <name> <size> <sha256>'`);
}

/** A parsed reply line: `OK` with its fields, or the server's reason. */
export function parseReply(line: string, what: string): string[] {
  if (line.startsWith('ERR ')) throw new FileProtocolError(`${what}: ${line.slice(4)} (said the server)`);
  const m = /^OK((?: \S+)*)$/.exec(line);
  if (!m) throw new FileProtocolError(`${what}: bad reply '${line.slice(0, 80)}'`);
  return m[1].split(' ').filter((x) => x.length > 0);
}

/**
 * The file under `root` that `path` names — a regular file, inside `root` once every symbolic
 * link is followed. Anything else is a {@link FileProtocolError} that says why.
 */
export async function resolveServedFile(root: string, path: string): Promise<{ full: string; size: number }> {
  if (path.includes('\0')) throw new FileProtocolError('refused: the path contains a NUL byte');
  const rootReal = await realpath(root);
  const wanted = resolve(rootReal, path.replace(/^\/+/, ''));
  const lexical = relative(rootReal, wanted);
  if (lexical.startsWith('..') || isAbsolute(lexical)) throw new FileProtocolError(`refused: '${path}' is outside the served directory`);
  let full: string;
  try {
    full = await realpath(wanted);
  } catch {
    throw new FileProtocolError(`not found: '${path}'`);
  }
  if (full !== rootReal && !full.startsWith(rootReal + sep)) throw new FileProtocolError(`refused: '${path}' leads outside the served directory (symbolic link)`);
  const st = await stat(full);
  if (!st.isFile()) throw new FileProtocolError(`not a regular file: '${path}'`);
  return { full, size: st.size };
}

/** Checks an uploaded file's name: a plain file name, no directory part. */
export function checkUploadName(name: string): string {
  if (name !== basename(name) || name === '.' || name === '..' || name.includes('\\') || name.startsWith('.')) {
    throw new FileProtocolError(`refused: '${name}' is not a plain file name`);
  }
  return name;
}
