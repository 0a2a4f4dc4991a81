/**
 * `jsp server` and `jsp recv`: a JSP server on the public API (`listen`) that echoes, discards,
 * serves the files of a directory, or receives files pushed by `jsp send` — printing each
 * connection and, when stopped by SIGINT/SIGTERM, the totals.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { generateKeyPair, KeyFileError, listen, readSecretKey, type JspServer, type JspStream, type StaticKeyPair } from '../index.ts';
import { CliUsageError, formatBytes, parseHostPort, readOptions, type HostPort } from './args.ts';
import { checkUploadName, FileProtocolError, parseRequest, readLine, resolveServedFile } from './file-protocol.ts';

export const serverUsage = `jsp server [--listen HOST:PORT] [--key FILE] [--echo | --discard | --files DIR] [--no-tickets | --ticket-secret FILE]

  A JSP server on UDP. It prints its address and public key, each connection as it comes and
  goes, and the totals when stopped (Ctrl-C, SIGINT or SIGTERM: connections close gracefully).
  --listen HOST:PORT  where to listen (default 127.0.0.1:4433; port 0: any free port)
  --key FILE          the secret key from jsp keygen --out FILE; without it a fresh key is made
                      and its public key printed, for clients to pin (--server-key HEX)
  --echo              send every stream's bytes back (default)
  --discard           read and drop every stream's bytes, then end the stream (for --bulk)
  --files DIR         serve the files under DIR: jsp client --get PATH (paths outside DIR,
                      symbolic links leading out of it included, are refused)
  --no-tickets        issue no session tickets (by default each connection gets one, under a
                      ticket key drawn at start, so jsp client --resume can resume with 0-RTT;
                      a restart invalidates them)
  --ticket-secret FILE
                      derive the ticket keys from the 32-byte root secret in FILE (64 hex
                      digits, e.g. openssl rand -hex 32): tickets then survive restarts and
                      work on every server given the same file; 0-RTT is refused for the
                      first 10 s after a start (the replay record starts empty)`;

export const recvUsage = `jsp recv [--listen HOST:PORT] [--key FILE] --out DIR [--no-tickets | --ticket-secret FILE]

  A JSP server that stores the files jsp send pushes into DIR, each under its own name, after
  checking its size and SHA-256 (an existing file is not overwritten). Stops on Ctrl-C.
  --listen HOST:PORT  where to listen (default 127.0.0.1:4433; port 0: any free port)
  --key FILE          the secret key from jsp keygen (default: a fresh one, printed)
  --out DIR           where the files go (must exist)
  --no-tickets        issue no session tickets (default: one per connection)
  --ticket-secret FILE
                      ticket keys from the root secret in FILE (see jsp server --help)`;

/** What a server does with each stream. */
export type ServeMode = { kind: 'echo' } | { kind: 'discard' } | { kind: 'files'; dir: string } | { kind: 'recv'; dir: string };

/** Counters a running server keeps. */
export interface ServeTotals {
  connections: number;
  streams: number;
  bytesIn: number;
  bytesOut: number;
  requests: number;
  refused: number;
}

/** Options of {@link serve}. */
export interface ServeOptions {
  readonly listen: HostPort;
  readonly mode: ServeMode;
  /** The static key pair (default: a fresh one, its public key printed). */
  readonly key?: StaticKeyPair;
  /** Where the server's lines go (default: stdout). */
  readonly print?: (line: string) => void;
  /** Issue session tickets (default true). */
  readonly tickets?: boolean;
  /** A 32-byte root secret the ticket keys are derived from (tickets survive restarts); default: a random key per start. */
  readonly ticketSecret?: Uint8Array;
}

/** A running server with its counters. */
export interface Served {
  readonly server: JspServer;
  readonly publicKey: Uint8Array;
  readonly totals: ServeTotals;
  /** Closes gracefully and prints the totals. */
  stop(): Promise<void>;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Starts a server that handles streams as `mode` says (see the module comment). */
export async function serve(o: ServeOptions): Promise<Served> {
  const print = o.print ?? ((s: string) => console.log(s));
  const key = o.key ?? generateKeyPair();
  const tickets = o.tickets === false ? false : o.ticketSecret ? { rootSecret: o.ticketSecret } : true;
  const server = await listen({ host: o.listen.host, port: o.listen.port, staticKey: key.secret, tickets });
  const publicKey = key.public;
  const totals: ServeTotals = { connections: 0, streams: 0, bytesIn: 0, bytesOut: 0, requests: 0, refused: 0 };
  const a = server.address();
  print(`jsp server: ${o.mode.kind}${'dir' in o.mode ? ` ${o.mode.dir}` : ''} on udp://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`);
  print(`public key: ${hex(publicKey)}${o.key ? '' : ' (fresh; pin it with --server-key, or keep one with jsp keygen and --key)'}`);
  const st = server.tickets;
  const from = st?.keys.derived ? `; keys from the ticket secret, 0-RTT from ${((st.earlyDataFromMs - Date.now()) / 1000).toFixed(0)} s on` : '';
  print(st ? `session tickets: on (0-RTT up to ${st.maxEarlyData} bytes; jsp client --resume${from})` : 'session tickets: off');
  server.on('connection', (conn) => {
    const n = ++totals.connections;
    const c = { streams: 0, in: 0, out: 0, start: performance.now() };
    const from = `${conn.remoteAddress.address}:${conn.remoteAddress.port}`;
    print(`+ connection ${n} from ${from} (${conn.handshake?.suite}, ${conn.handshake?.group}${conn.resumed ? `, resumed${conn.earlyData === 'accepted' ? ' with 0-RTT' : ''}` : ''})`);
    conn.on('close', (info) => {
      const how = info.error ? `${info.error.codeName}${info.reason ? `: ${info.reason}` : ''}` : 'closed';
      print(`- connection ${n} ${how}${info.remote ? ' by the peer' : ''}: ${c.streams} streams, ${formatBytes(c.in)} in, ${formatBytes(c.out)} out, ${((performance.now() - c.start) / 1000).toFixed(1)} s`);
    });
    conn.on('stream', (st) => {
      c.streams++;
      totals.streams++;
      st.on('error', () => {}); // a peer's reset ends the stream; the connection carries on
      const io: StreamCounters = {
        received: (k) => { c.in += k; totals.bytesIn += k; },
        sent: (k) => { c.out += k; totals.bytesOut += k; },
      };
      handleStream(st, o.mode, io, totals, print).catch((e: Error) => print(`  stream ${st.id}: ${e.message}`));
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = () => stopping ??= (async () => {
    await server.close({ timeoutMs: 2000, reason: 'server stopped' });
    const t = server.ticketStats;
    print(`totals: ${totals.connections} connections, ${totals.streams} streams, ${formatBytes(totals.bytesIn)} in, ${formatBytes(totals.bytesOut)} out${totals.requests ? `, ${totals.requests} requests (${totals.refused} refused)` : ''}${t ? `; tickets: ${t.issued} issued, ${t.accepted} resumed (${t.earlyAccepted} with 0-RTT), ${t.rejected} refused` : ''}`);
  })();
  return { server, publicKey, totals, stop };
}

/** Byte counters of one stream's connection. */
interface StreamCounters {
  received(n: number): void;
  sent(n: number): void;
}

/**
 * Handles one stream as `mode` says. (A 'data' listener is attached only once the header line
 * is read: one attached earlier would take the bytes `readLine` puts back.)
 */
async function handleStream(st: JspStream, mode: ServeMode, io: StreamCounters, totals: ServeTotals, print: (s: string) => void): Promise<void> {
  if (!st.bidi || mode.kind === 'echo' || mode.kind === 'discard') {
    st.on('data', (b: Buffer) => io.received(b.length));
    if (!st.bidi) return;
    if (mode.kind === 'echo') {
      st.on('data', (b: Buffer) => io.sent(b.length));
      st.pipe(st);
    } else st.on('end', () => st.end());
    return;
  }
  totals.requests++;
  let req;
  try {
    const line = await readLine(st, `stream ${st.id}`);
    io.received(Buffer.byteLength(line) + 1);
    req = parseRequest(line);
    if (mode.kind === 'files') {
      if (req.verb !== 'GET') throw new FileProtocolError('refused: this server serves files (GET); jsp recv takes uploads');
      const f = await resolveServedFile(mode.dir, req.path);
      print(`  GET ${req.path} → ${f.size} bytes`);
      st.write(`OK ${f.size}\n`);
      st.resume(); // nothing more is expected from the client
      const file = createReadStream(f.full);
      file.on('data', (b) => io.sent(b.length));
      await pipeline(file, st);
      return;
    }
    if (req.verb !== 'PUT') throw new FileProtocolError('refused: this server takes uploads (PUT); jsp server --files serves files');
    const name = checkUploadName(req.name);
    const got = await receiveFile(st, mode.dir, name, req.size, req.sha256, io.received);
    print(`  PUT ${name} ← ${got} bytes, SHA-256 ${req.sha256}`);
    st.end(`OK ${got} ${req.sha256}\n`);
  } catch (e) {
    if (!(e instanceof FileProtocolError)) throw e;
    totals.refused++;
    print(`  ${req ? `${req.verb} ${req.verb === 'GET' ? req.path : req.name}` : 'request'} → ${e.message}`);
    st.resume();
    if (st.writable) st.end(`ERR ${e.message}\n`);
  }
}

/** Reads the rest of `st` into DIR/name (through a temporary file), checking size and SHA-256. */
async function receiveFile(st: JspStream, dir: string, name: string, size: number, sha256: string, received: (n: number) => void): Promise<number> {
  const target = join(dir, name);
  if (existsSync(target)) throw new FileProtocolError(`refused: '${name}' already exists`);
  const tmp = join(dir, `.${name}.${randomBytes(4).toString('hex')}.part`);
  const out = createWriteStream(tmp, { flags: 'wx', mode: 0o644 });
  const h = createHash('sha256');
  let n = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      st.on('data', (b: Buffer) => {
        received(b.length);
        n += b.length;
        h.update(b);
        if (n > size) { reject(new FileProtocolError(`refused: more than the announced ${size} bytes`)); return; }
        if (!out.write(b)) { st.pause(); out.once('drain', () => st.resume()); }
      });
      st.once('end', () => out.end(() => resolve()));
      st.once('error', reject);
      out.once('error', reject);
    });
    if (n !== size) throw new FileProtocolError(`refused: ${n} bytes arrived, ${size} were announced`);
    const digest = h.digest('hex');
    if (digest !== sha256) throw new FileProtocolError(`refused: SHA-256 mismatch (announced ${sha256}, got ${digest})`);
    await rename(tmp, target);
    return n;
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The root secret of `--ticket-secret FILE`: 64 hex digits (surrounding white space allowed). */
export function readTicketSecret(path: string | undefined): Uint8Array | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliUsageError(`--ticket-secret: ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const t = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(t)) throw new CliUsageError(`--ticket-secret: ${path}: expected 64 hex digits (32 bytes, e.g. openssl rand -hex 32)`);
  return new Uint8Array(Buffer.from(t, 'hex'));
}

/** `--no-tickets` or `--ticket-secret FILE` (not both) as serve options. */
function ticketOptions(opts: Map<string, string>): Pick<ServeOptions, 'tickets' | 'ticketSecret'> {
  if (opts.has('--no-tickets') && opts.has('--ticket-secret')) throw new CliUsageError('choose --no-tickets or --ticket-secret, not both');
  return { tickets: !opts.has('--no-tickets'), ticketSecret: readTicketSecret(opts.get('--ticket-secret')) };
}

function readKey(path: string | undefined): StaticKeyPair | undefined {
  if (path === undefined) return undefined;
  try {
    return readSecretKey(path);
  } catch (e) {
    if (e instanceof KeyFileError) throw new CliUsageError(`--key: ${e.message}`);
    throw e;
  }
}

function checkDir(option: string, dir: string | undefined): string {
  if (dir === undefined) throw new CliUsageError(`${option} needs a directory`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliUsageError(`${option}: '${dir}' is not a directory`);
  return dir;
}

/** Serves until SIGINT/SIGTERM, then closes gracefully. */
async function runUntilSignal(o: ServeOptions): Promise<number> {
  const served = await serve(o);
  const signal = await new Promise<string>((resolve) => {
    const on = (s: string) => { process.off('SIGINT', on); process.off('SIGTERM', on); resolve(s); };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  console.log(`${signal}: closing`);
  await served.stop();
  return 0;
}

/** `jsp server …` */
export async function serverCommand(args: string[]): Promise<number> {
  const { opts, positional } = readOptions(args, { '--listen': true, '--key': true, '--echo': false, '--discard': false, '--files': true, '--no-tickets': false, '--ticket-secret': true });
  if (positional.length) throw new CliUsageError(`unexpected argument '${positional[0]}'`);
  const modes = ['--echo', '--discard', '--files'].filter((m) => opts.has(m));
  if (modes.length > 1) throw new CliUsageError(`choose one mode, not ${modes.join(' and ')}`);
  const mode: ServeMode = opts.has('--files') ? { kind: 'files', dir: checkDir('--files', opts.get('--files')) } : opts.has('--discard') ? { kind: 'discard' } : { kind: 'echo' };
  const listenAt = parseHostPort(opts.get('--listen') ?? '127.0.0.1:4433', { defaultHost: '0.0.0.0', allowZero: true, what: '--listen address' });
  return runUntilSignal({ listen: listenAt, mode, key: readKey(opts.get('--key')), ...ticketOptions(opts) });
}

/** `jsp recv …` */
export async function recvCommand(args: string[]): Promise<number> {
  const { opts, positional } = readOptions(args, { '--listen': true, '--key': true, '--out': true, '--no-tickets': false, '--ticket-secret': true });
  if (positional.length) throw new CliUsageError(`unexpected argument '${positional[0]}'`);
  if (!opts.has('--out')) throw new CliUsageError('--out DIR is required');
  const listenAt = parseHostPort(opts.get('--listen') ?? '127.0.0.1:4433', { defaultHost: '0.0.0.0', allowZero: true, what: '--listen address' });
  return runUntilSignal({ listen: listenAt, mode: { kind: 'recv', dir: checkDir('--out', opts.get('--out')) }, key: readKey(opts.get('--key')), ...ticketOptions(opts) });
}
