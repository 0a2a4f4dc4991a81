/**
 * `jsp client` and `jsp send`: a JSP client on the public API (`connect`) — netcat-like
 * (stdin → one stream → stdout), a bulk sender that prints throughput, a file fetcher
 * (`--get`, from `jsp server --files`) and a file pusher (`jsp send`, to `jsp recv`).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { connect, JspConnectError, JspTimeoutError, KeyFileError, readPublicKey, type JspConnection, type JspStream } from '../index.ts';
import { CliRuntimeError, CliUsageError, formatBytes, formatRate, parseBytes, parseHostPort, parseInteger, readOptions, type HostPort } from './args.ts';
import { checkUploadName, FileProtocolError, parseReply, readLine } from './file-protocol.ts';

export const clientUsage = `jsp client HOST:PORT --server-key HEX|FILE [--bulk BYTES [--streams N] | --get PATH [--out FILE]]

  A JSP client. By default it works like netcat: stdin goes to one stream, what comes back
  goes to stdout, and it ends when the server ends the stream after stdin's end (EOF).
  --server-key HEX|FILE  the server's public key to pin: 64 hex digits or a .pub file
                         (jsp keygen, or what jsp server prints)
  --bulk BYTES           send BYTES (e.g. 100M, 64MiB) to an echo or discard server and print
                         the throughput (an echo server's copy is read back and counted)
  --streams N            spread --bulk over N parallel streams (default 1, at most 1000)
  --get PATH             fetch PATH from a jsp server --files DIR; prints its size and SHA-256
  --out FILE             where --get writes the file (default: stdout, the report on stderr)
  --timeout MS           give up the handshake after MS ms (default 10000)`;

export const sendUsage = `jsp send FILE HOST:PORT --server-key HEX|FILE [--name NAME] [--timeout MS]

  Pushes FILE to a jsp recv server, which stores it under its name (or NAME) after checking
  its size and SHA-256; prints the bytes, the throughput and the SHA-256 both sides agreed on.`;

/** Connects as the options say, turning every failure into a clear CLI error. */
async function open(address: string | undefined, opts: Map<string, string>): Promise<{ conn: JspConnection; to: HostPort }> {
  if (address === undefined) throw new CliUsageError('missing the server address HOST:PORT');
  const to = parseHostPort(address, { what: 'server address' });
  const keyText = opts.get('--server-key');
  if (keyText === undefined) throw new CliUsageError('--server-key HEX|FILE is required (the key jsp server printed, or a .pub file)');
  if (/^[0-9a-fA-F]+$/.test(keyText) && keyText.length !== 64) throw new CliUsageError(`--server-key: ${keyText.length} hex digits; a public key is 64 (32 bytes)`);
  let serverKey: Uint8Array;
  try {
    serverKey = readPublicKey(keyText);
  } catch (e) {
    if (e instanceof KeyFileError) throw new CliUsageError(`--server-key: ${e.message}`);
    throw e;
  }
  const handshakeTimeoutMs = opts.has('--timeout') ? parseInteger(opts.get('--timeout'), '--timeout', 100, 600_000) : 10_000;
  try {
    return { conn: await connect({ host: to.host, port: to.port, serverKey, handshakeTimeoutMs }), to };
  } catch (e) {
    if (e instanceof JspConnectError && e.code === 'ERR_JSP_BAD_SERVER_KEY') throw new CliRuntimeError(`${address} refused the handshake: its key is not the pinned --server-key (BAD_SERVER_KEY)`);
    if (e instanceof JspTimeoutError) throw new CliRuntimeError(`no answer from ${address} within ${handshakeTimeoutMs} ms (is a jsp server running there, over UDP?)`);
    if (e instanceof JspConnectError) throw new CliRuntimeError(e.message);
    if ((e as NodeJS.ErrnoException).code === 'ENOTFOUND') throw new CliRuntimeError(`cannot resolve host '${to.host}'`);
    throw e;
  }
}

/** Counts a stream's incoming bytes into `into` (or drops them), resolving at its end. */
function drain(st: JspStream, into?: Writable, onData?: (b: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    st.on('data', (b: Buffer) => {
      onData?.(b);
      if (into && !into.write(b)) { st.pause(); into.once('drain', () => st.resume()); }
    });
    st.once('end', resolve);
    st.once('error', reject);
  });
}

/** netcat: stdin → one stream → stdout. */
async function netcat(conn: JspConnection): Promise<void> {
  const st = await conn.openStream();
  process.stdin.pipe(st);
  await drain(st, process.stdout);
  process.stdin.unpipe(st);
  process.stdin.destroy(); // the server ended first: stop reading a terminal
}

/** --bulk: `total` bytes over `streams` streams; prints the throughput. */
async function bulk(conn: JspConnection, total: number, streams: number, print: (s: string) => void): Promise<void> {
  const block = randomBytes(64 << 10);
  let back = 0;
  const t0 = performance.now();
  const one = async (bytes: number) => {
    const st = await conn.openStream();
    const done = drain(st, undefined, (b) => { back += b.length; });
    for (let off = 0; off < bytes; off += block.length) {
      if (!st.write(block.subarray(0, Math.min(block.length, bytes - off)))) await once(st, 'drain');
    }
    st.end();
    await done; // the server ends its side once it read everything (discard) or echoed it (echo)
  };
  const share = Math.floor(total / streams);
  await Promise.all(Array.from({ length: streams }, (_, i) => one(i === 0 ? total - share * (streams - 1) : share)));
  const ms = performance.now() - t0;
  const s = conn.stats;
  print(`sent ${formatBytes(total)} on ${streams} stream${streams > 1 ? 's' : ''} in ${ms.toFixed(0)} ms: ${formatRate(total, ms)}`);
  if (back > 0) print(`echoed back ${formatBytes(back)}${back === total ? ' (all of it)' : ` (of ${formatBytes(total)})`}`);
  print(`packets: ${s.packetsSent} sent, ${s.packetsReceived} received, ${s.packetsLost} lost; RTT ${s.rttMs.toFixed(2)} ms`);
}

/** --get: fetches `path`, writing it to `out` (or stdout); prints size and SHA-256. */
async function get(conn: JspConnection, path: string, out: string | undefined, print: (s: string) => void): Promise<void> {
  if (path.includes('\n')) throw new CliUsageError('--get: the path cannot contain a newline');
  const t0 = performance.now();
  const st = await conn.openStream();
  st.end(`GET ${path}\n`);
  let size: number;
  try {
    const reply = parseReply(await readLine(st, `GET ${path}`), `GET ${path}`);
    size = Number(reply[0]);
    if (!Number.isSafeInteger(size) || size < 0) throw new FileProtocolError(`GET ${path}: bad size in the reply`);
  } catch (e) {
    if (e instanceof FileProtocolError) throw new CliRuntimeError(e.message);
    throw e;
  }
  const h = createHash('sha256');
  let n = 0;
  const sink = out === undefined ? process.stdout : createWriteStream(out);
  await drain(st, sink, (b) => { n += b.length; h.update(b); });
  if (sink !== process.stdout) { sink.end(); await once(sink, 'finish'); }
  const ms = performance.now() - t0;
  if (n !== size) throw new CliRuntimeError(`GET ${path}: ${n} bytes arrived, the server announced ${size}`);
  print(`got ${path}: ${n} bytes in ${ms.toFixed(0)} ms (${formatRate(n, ms)})${out ? ` → ${out}` : ''}`);
  print(`sha256 ${h.digest('hex')}`);
}

/** `jsp client …` */
export async function clientCommand(args: string[]): Promise<number> {
  const { opts, positional } = readOptions(args, { '--server-key': true, '--bulk': true, '--streams': true, '--get': true, '--out': true, '--timeout': true });
  if (positional.length > 1) throw new CliUsageError(`unexpected argument '${positional[1]}'`);
  if (opts.has('--bulk') && opts.has('--get')) throw new CliUsageError('choose --bulk or --get, not both');
  if (opts.has('--streams') && !opts.has('--bulk')) throw new CliUsageError('--streams goes with --bulk');
  if (opts.has('--out') && !opts.has('--get')) throw new CliUsageError('--out goes with --get');
  const total = opts.has('--bulk') ? parseBytes(opts.get('--bulk')!, '--bulk') : 0;
  const streams = opts.has('--streams') ? parseInteger(opts.get('--streams'), '--streams', 1, 1000) : 1;
  const { conn } = await open(positional[0], opts);
  try {
    if (total > 0) await bulk(conn, total, streams, (s) => console.log(s));
    else if (opts.has('--get')) await get(conn, opts.get('--get')!, opts.get('--out'), (s) => (opts.has('--out') ? console.log(s) : console.error(s)));
    else await netcat(conn);
  } finally {
    await conn.close({ timeoutMs: 2000 }).catch(() => {});
  }
  return 0;
}

/** `jsp send FILE HOST:PORT …` */
export async function sendCommand(args: string[]): Promise<number> {
  const { opts, positional } = readOptions(args, { '--server-key': true, '--name': true, '--timeout': true });
  const [file, address, extra] = positional;
  if (file === undefined) throw new CliUsageError('missing the FILE to send');
  if (extra !== undefined) throw new CliUsageError(`unexpected argument '${extra}'`);
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliUsageError(`'${file}' is not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliUsageError) throw e;
    throw new CliUsageError(`cannot read '${file}': ${(e as Error).message}`);
  }
  let name: string;
  try {
    name = checkUploadName(opts.get('--name') ?? basename(file));
  } catch (e) {
    throw new CliUsageError(`--name: ${(e as Error).message}`);
  }
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  const sha = h.digest('hex');
  const { conn } = await open(address, opts);
  try {
    const t0 = performance.now();
    const st = await conn.openStream();
    st.write(`PUT ${name} ${size} ${sha}\n`);
    const replyLine = readLine(st, `PUT ${name}`);
    for await (const c of createReadStream(file, { highWaterMark: 64 << 10 })) if (!st.write(c)) await once(st, 'drain');
    st.end();
    try {
      const reply = parseReply(await replyLine, `PUT ${name}`);
      if (reply[0] !== String(size) || reply[1] !== sha) throw new FileProtocolError(`PUT ${name}: the server stored ${reply[0]} bytes with SHA-256 ${reply[1]}`);
    } catch (e) {
      if (e instanceof FileProtocolError) throw new CliRuntimeError(e.message);
      throw e;
    }
    const ms = performance.now() - t0;
    console.log(`sent ${file} as ${name}: ${size} bytes in ${ms.toFixed(0)} ms (${formatRate(size, ms)})`);
    console.log(`sha256 ${sha} (checked by the server)`);
  } finally {
    await conn.close({ timeoutMs: 2000 }).catch(() => {});
  }
  return 0;
}
