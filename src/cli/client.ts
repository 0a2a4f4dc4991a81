/**
 * `jsp client` and `jsp send`: a JSP client on the public API (`connect`) — netcat-like
 * (stdin → one stream → stdout), a bulk sender that prints throughput, a file fetcher
 * (`--get`, from `jsp server --files`) and a file pusher (`jsp send`, to `jsp recv`).
 * `jsp client --resume` keeps session tickets in a file and resumes with 0-RTT when it can.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { Writable } from 'node:stream';
import {
  connect, FileTicketStore, JspConnectError, JspTimeoutError, KeyFileError, readPublicKey, TicketStoreError,
  type ClientTicket, type JspConnection, type JspEarlyDataInfo, type JspStream,
} from '../index.ts';
import { CliRuntimeError, CliUsageError, formatBytes, formatRate, parseBytes, parseHostPort, parseInteger, readOptions, type HostPort } from './args.ts';
import { checkUploadName, FileProtocolError, parseReply, readLine } from './file-protocol.ts';

export const clientUsage = `jsp client HOST:PORT --server-key HEX|FILE [--bulk BYTES [--streams N] | --get PATH [--out FILE]] [--resume [--tickets FILE]]

  A JSP client. By default it works like netcat: stdin goes to one stream, what comes back
  goes to stdout, and it ends when the server ends the stream after stdin's end (EOF).
  --server-key HEX|FILE  the server's public key to pin: 64 hex digits or a .pub file
                         (jsp keygen, or what jsp server prints)
  --bulk BYTES           send BYTES (e.g. 100M, 64MiB) to an echo or discard server and print
                         the throughput (an echo server's copy is read back and counted)
  --streams N            spread --bulk over N parallel streams (default 1, at most 1000)
  --get PATH             fetch PATH from a jsp server --files DIR; prints its size and SHA-256
  --out FILE             where --get writes the file (default: stdout, the report on stderr)
  --timeout MS           give up the handshake after MS ms (default 10000)
  --resume               resume a session: keep the server's session tickets in a file, and
                         on the next run resume from one, sending the request in 0-RTT when
                         the ticket allows (0-RTT data may be replayed: idempotent requests
                         only); prints on stderr whether it resumed and whether 0-RTT was
                         accepted
  --tickets FILE         where --resume keeps the tickets (default
                         $XDG_STATE_HOME/jsp/tickets.json, or ~/.local/state/jsp/tickets.json;
                         written with mode 0600: it holds secrets)`;

/** Where `--resume` keeps tickets without `--tickets`: `$XDG_STATE_HOME/jsp/tickets.json`, else `~/.local/state/jsp/tickets.json`. */
export function defaultTicketsPath(env: Record<string, string | undefined> = process.env, home = homedir()): string {
  const state = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(home, '.local', 'state'); // a relative one is ignored (XDG spec)
  return join(state, 'jsp', 'tickets.json');
}

/** A `--resume` session: the ticket store, the ticket offered, and what the connection reported. */
interface Resumption {
  readonly store: FileTicketStore;
  readonly offered: ClientTicket | undefined;
  early: JspEarlyDataInfo | undefined;
  received: number;
}

/** Opens the ticket file of `--resume` (its directory is made, 0700, when missing). */
function openStore(path: string): FileTicketStore {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    return new FileTicketStore(path);
  } catch (e) {
    if (e instanceof TicketStoreError) throw new CliRuntimeError(`--tickets: ${e.message} (delete it to start afresh)`);
    throw new CliRuntimeError(`--tickets: cannot use '${path}': ${(e as Error).message}`);
  }
}

export const sendUsage = `jsp send FILE HOST:PORT --server-key HEX|FILE [--name NAME] [--timeout MS]

  Pushes FILE to a jsp recv server, which stores it under its name (or NAME) after checking
  its size and SHA-256; prints the bytes, the throughput and the SHA-256 both sides agreed on.`;

/**
 * Connects as the options say, turning every failure into a clear CLI error. With `resume`, the
 * newest usable ticket of the store is offered with 0-RTT (the connection may then be handed
 * over before its handshake completes) and new tickets go into the store.
 */
async function open(address: string | undefined, opts: Map<string, string>, ticketsPath?: string): Promise<{ conn: JspConnection; to: HostPort; resumption?: Resumption }> {
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
  let resumption: Resumption | undefined;
  if (ticketsPath !== undefined) {
    const resume = openStore(ticketsPath);
    let offered: ClientTicket | undefined;
    try {
      offered = resume.take(serverKey, Date.now());
    } catch (e) {
      throw new CliRuntimeError(`--tickets: cannot update '${resume.path}': ${(e as Error).message}`);
    }
    resumption = { store: resume, offered, early: undefined, received: 0 };
  }
  try {
    const conn = await connect({ host: to.host, port: to.port, serverKey, handshakeTimeoutMs, session: resumption?.offered, earlyData: resumption !== undefined });
    if (resumption) {
      const r = resumption;
      conn.on('earlyData', (i) => { r.early = i; });
      conn.on('session', (t) => {
        r.received++;
        try {
          r.store.put(t);
        } catch (e) {
          console.error(`jsp client: cannot save the session ticket in ${r.store.path}: ${(e as Error).message}`);
        }
      });
      // A handshake still running after an early hand-over: its failure is reported by what the
      // command does with the connection (a stream error) and here.
      conn.handshakeComplete.catch((e: Error) => console.error(`jsp client: ${e.message}`));
    }
    return { conn, to, resumption };
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

/** What `--resume` tells on stderr once the connection's work is done. */
async function reportResumption(conn: JspConnection, r: Resumption): Promise<void> {
  // The server sends its ticket once the handshake is confirmed: a short run may end before.
  if (r.received === 0 && !conn.closeInfo) {
    await new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); conn.off('session', done); conn.off('close', done); resolve(); };
      const timer = setTimeout(done, 1000);
      conn.on('session', done);
      conn.on('close', done);
    });
  }
  const early = r.early ? `; 0-RTT ${r.early.accepted ? 'accepted' : 'rejected'} (${r.early.bytes} bytes${r.early.accepted ? '' : ' sent again in 1-RTT'})` : '';
  let how: string;
  if (conn.resumed) how = `session resumed${early || (r.offered && r.offered.maxEarlyData === 0 ? '; no 0-RTT (the ticket allows none)' : '; no 0-RTT')}`;
  else if (r.offered) how = `full handshake (the server refused the ticket)${early}`;
  else how = 'full handshake (no usable ticket)';
  console.error(`jsp client: ${how}`);
  console.error(r.received > 0 ? `jsp client: ${r.received} new session ticket${r.received > 1 ? 's' : ''} saved in ${r.store.path}` : 'jsp client: no session ticket from the server (tickets off there?)');
}

/** `jsp client …` */
export async function clientCommand(args: string[]): Promise<number> {
  const { opts, positional } = readOptions(args, {
    '--server-key': true, '--bulk': true, '--streams': true, '--get': true, '--out': true, '--timeout': true, '--resume': false, '--tickets': true,
  });
  if (positional.length > 1) throw new CliUsageError(`unexpected argument '${positional[1]}'`);
  if (opts.has('--bulk') && opts.has('--get')) throw new CliUsageError('choose --bulk or --get, not both');
  if (opts.has('--streams') && !opts.has('--bulk')) throw new CliUsageError('--streams goes with --bulk');
  if (opts.has('--out') && !opts.has('--get')) throw new CliUsageError('--out goes with --get');
  const total = opts.has('--bulk') ? parseBytes(opts.get('--bulk')!, '--bulk') : 0;
  const streams = opts.has('--streams') ? parseInteger(opts.get('--streams'), '--streams', 1, 1000) : 1;
  if (opts.has('--tickets') && !opts.has('--resume')) throw new CliUsageError('--tickets goes with --resume');
  if (opts.get('--tickets') === '') throw new CliUsageError('--tickets needs a file path');
  const { conn, resumption } = await open(positional[0], opts, opts.has('--resume') ? opts.get('--tickets') ?? defaultTicketsPath() : undefined);
  try {
    if (total > 0) await bulk(conn, total, streams, (s) => console.log(s));
    else if (opts.has('--get')) await get(conn, opts.get('--get')!, opts.get('--out'), (s) => (opts.has('--out') ? console.log(s) : console.error(s)));
    else await netcat(conn);
    if (resumption) await reportResumption(conn, resumption);
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
