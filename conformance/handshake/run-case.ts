/**
 * Runs one handshake vector case through the runtime (src/core/handshake): a client and a server
 * with the case's keys, fed the case's random bytes in order, exchange records until both are
 * done or one fails; an optional edit changes one record in flight. The vector generator records
 * what this returns; the vector test and the TypeScript adapter compare it with the vectors.
 *
 * @module
 */
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import {
  ClientHandshake, drainRecords, ServerHandshake, noiseProtocolName,
  type ClientHandshakeConfig, type GroupId, type ServerHandshakeConfig, type SuiteId,
} from '../../src/core/handshake/index.ts';
import type { TransportParameters } from '../../src/gen/messages.ts';
import { seededRng } from '../../src/core/rng.ts';

/** What a case fixes. Random bytes are listed per side, in the order the side draws them. */
export interface CaseInput {
  client_suites: SuiteId[];
  client_groups: GroupId[];
  server_suites: SuiteId[];
  server_groups: GroupId[];
  server_static_secret: string;
  /** The key the client pins (hex); the server's own public key unless a case says otherwise. */
  pinned_server_key: string;
  client_static_secret?: string;
  client_transport_parameters: Partial<Record<keyof TransportParameters, number | boolean | string>>;
  server_transport_parameters: Partial<Record<keyof TransportParameters, number | boolean | string>>;
  client_alpn: string[];
  server_alpn: string[];
  cookie_key: string;
  /** Seeds of the two random streams (src/core/rng.ts: HMAC-SHA256(seed, u64 counter) blocks, concatenated). */
  client_seed: string;
  server_seed: string;
}

/** One change to a record in flight: record `index` of the exchange (0 = the first ClientHello). */
export type Edit =
  | { record: number; op: 'flip'; byte: number }
  | { record: number; op: 'truncate'; length: number }
  | { record: number; op: 'replace'; hex: string }
  | { record: number; op: 'replay' };

/** The random draws of each side, in order (informational: they follow from the seeds). */
export interface Draws { client: string[]; server: string[] }

export interface RecordOut { from: 'client' | 'server'; hex: string }
export interface CaseOutput {
  records: RecordOut[];
  random: Draws;
  client_state: string;
  server_state: string;
  /** The side that failed first by a local check, and its code. */
  failure?: { side: 'client' | 'server'; error: string };
  keys?: {
    protocol_name: string;
    handshake_hash: string;
    client_1rtt_secret: string;
    server_1rtt_secret: string;
    exporter_secret: string;
    resumption_secret: string;
  };
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));

function params(o: CaseInput['client_transport_parameters']): Partial<TransportParameters> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'string' ? unhex(v) : v;
  return out as Partial<TransportParameters>;
}

/** An rng that draws from `source` and records every draw as hex (for the generator). */
export function recordingRng(source: (n: number) => Uint8Array, into: string[]): (n: number) => Uint8Array {
  return (n) => {
    const b = source(n);
    into.push(hex(b));
    return b.slice();
  };
}

/** Runs a case. */
export function runCase(p: CryptoProvider, input: CaseInput, edit?: Edit): CaseOutput {
  const random: Draws = { client: [], server: [] };
  const clientConfig: ClientHandshakeConfig = {
    provider: p, rng: recordingRng(seededRng(p, input.client_seed), random.client),
    serverKey: unhex(input.pinned_server_key), suites: input.client_suites, groups: input.client_groups,
    clientKey: input.client_static_secret ? unhex(input.client_static_secret) : undefined,
    transportParameters: params(input.client_transport_parameters), alpn: input.client_alpn,
  };
  const serverConfig: ServerHandshakeConfig = {
    provider: p, rng: recordingRng(seededRng(p, input.server_seed), random.server),
    staticKeys: [unhex(input.server_static_secret)], suites: input.server_suites, groups: input.server_groups,
    cookieKey: unhex(input.cookie_key), transportParameters: params(input.server_transport_parameters), alpn: input.server_alpn,
  };
  const client = new ClientHandshake(clientConfig);
  const server = new ServerHandshake(serverConfig);
  const records: RecordOut[] = [];
  let failure: CaseOutput['failure'];
  const noteFailure = () => {
    if (failure) return;
    if (server.state === 'failed' && server.error && !server.error.remote) failure = { side: 'server', error: server.error.codeName };
    else if (client.state === 'failed' && client.error && !client.error.remote) failure = { side: 'client', error: client.error.codeName };
  };
  client.start();
  let first: Uint8Array | undefined;
  for (let turn = 0; turn < 6 && !failure; turn++) {
    const fromClient = turn % 2 === 0;
    const sender = fromClient ? client : server;
    const bodies = drainRecords(sender);
    if (bodies.length === 0) break;
    for (let body of bodies) {
      const index = records.length;
      if (edit && edit.record === index) {
        if (edit.op === 'flip') { body = body.slice(); body[edit.byte] ^= 0x01; }
        else if (edit.op === 'truncate') body = body.slice(0, edit.length);
        else if (edit.op === 'replace') body = unhex(edit.hex);
      }
      records.push({ from: fromClient ? 'client' : 'server', hex: hex(body) });
      first ??= body;
      if (fromClient) server.handleRecord(body);
      else client.handleRecord(body);
      if (edit?.op === 'replay' && edit.record === index && fromClient) {
        records.push({ from: 'client', hex: hex(body) });
        server.handleRecord(body);
      }
      noteFailure();
      if (failure) break;
    }
  }
  // A server that sent its ServerHello reaches confirmed on the client's first 1-RTT packet, and the client on HANDSHAKE_DONE.
  if (!failure && client.state === 'established' && server.state === 'established') {
    server.handleOneRttPacket();
    client.handleHandshakeDone();
  }
  const out: CaseOutput = { records, random, client_state: client.state, server_state: server.state };
  if (failure) out.failure = failure;
  const k = client.keys;
  if (k && server.keys) {
    out.keys = {
      protocol_name: noiseProtocolName(k.suite, k.group, input.client_static_secret !== undefined),
      handshake_hash: hex(k.handshakeHash),
      client_1rtt_secret: hex(k.clientSecret),
      server_1rtt_secret: hex(k.serverSecret),
      exporter_secret: hex(k.exporterSecret),
      resumption_secret: hex(k.resumptionSecret),
    };
    for (const [name, a, b] of [['client', k.clientSecret, server.keys.clientSecret], ['server', k.serverSecret, server.keys.serverSecret]] as const) {
      if (hex(a) !== hex(b)) throw new Error(`the two sides derived different ${name} secrets`);
    }
  }
  return out;
}
