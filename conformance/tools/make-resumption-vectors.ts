/**
 * `npm run vectors:resumption` — writes conformance/vectors/handshake/resumption.json, once, for
 * review; `-- --check` exits 1 when the file is stale. Tests never regenerate it.
 *
 * - `ticket_encryption` and `key_schedule`: computed here from node:crypto alone (HKDF-SHA256 by
 *   HMAC, AES-256-GCM), independently of the runtime, with every intermediate value
 *   (spec/crypto.yaml steps ticket_key, ticket_key_id, ticket_psk, early_secret,
 *   client_early_secret, resumed_ck, resumed_client/server_1rtt_secret; crypto.ticket.encryption).
 * - `fleet_ticket_keys`: the same, for the ticket key secrets of three rotation periods derived
 *   from one root secret (step period_ticket_key_secret; crypto.ticket.fleet-keys).
 * - `cases`: resumptions run through the runtime (conformance/handshake/run-resumption.ts) — with
 *   and without 0-RTT for every suite and group, and the negative cases (tampered, expired,
 *   rotated-out key, other server identity, replayed first flight, ticket age, lowered limits),
 *   each with the decision and, where there is one, the error code.
 */
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { GROUPS, SUITES } from '../../src/gen/crypto.ts';
import { encodeSessionTicket, type SessionTicket } from '../../src/gen/messages.ts';
import { defaultTransportParameters } from '../../src/core/handshake/index.ts';
import { runResumption, type ResumptionInput } from '../handshake/run-resumption.ts';

const OUT = fileURLToPath(new URL('../vectors/handshake/resumption.json', import.meta.url));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fixed = (tag: string, n = 32) => createHash('sha256').update(`JSP vectors: ${tag}`).digest().subarray(0, n);

// ── HKDF from node:crypto (RFC 5869), and HKDF-Expand-Label with the "jsp1 " prefix ──
const extract = (salt: Buffer, ikm: Buffer) => createHmac('sha256', salt.length ? salt : Buffer.alloc(32)).update(ikm).digest();
function expand(prk: Buffer, info: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    t = createHmac('sha256', prk).update(Buffer.concat([t, info, Buffer.from([i])])).digest();
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}
function expandLabel(secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const full = Buffer.from(`jsp1 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
  return expand(secret, info, length);
}
const INITIAL_SALT = Buffer.from('222e70d4987d074125fac47a70b3ef22863ffd3ca58ca483816ac869ac7f9b1f', 'hex');

// ── ticket encryption ──
const ticketKeySecret = fixed('ticket key secret');
const ticketKey = expandLabel(ticketKeySecret, 'ticket key', Buffer.alloc(0), 32);
const ticketKeyId = expandLabel(ticketKeySecret, 'ticket key id', Buffer.alloc(0), 8);
const sessionTicket: SessionTicket = {
  version: 1, cipherSuite: 1, resumptionSecret: fixed('ticket psk'), createdAtMs: 1_700_000_000_000, lifetimeS: 604800, ageAdd: 0x12345678,
  maxEarlyData: 65536, alpn: 'jsp-demo', transportParameters: { ...defaultTransportParameters(), initialMaxData: 2097152, initialMaxStreamsBidi: 100 },
  serverIdentity: fixed('server public key'), ticketId: fixed('ticket id', 16),
};
const plaintext = Buffer.from(encodeSessionTicket(sessionTicket));
const nonce = fixed('ticket nonce', 12);
const gcm = createCipheriv('aes-256-gcm', ticketKey, nonce);
gcm.setAAD(ticketKeyId);
const sealed = Buffer.concat([gcm.update(plaintext), gcm.final(), gcm.getAuthTag()]);
const ticketEncryption = {
  comment: 'crypto.ticket.encryption: ticket = ticket_key_id ‖ nonce ‖ AES-256-GCM(ticket_key, nonce, SessionTicket, aad = ticket_key_id)',
  ticket_key_secret: hex(ticketKeySecret), ticket_key: hex(ticketKey), ticket_key_id: hex(ticketKeyId),
  session_ticket: { ...sessionTicket, resumptionSecret: hex(sessionTicket.resumptionSecret), serverIdentity: hex(sessionTicket.serverIdentity), ticketId: hex(sessionTicket.ticketId), transportParameters: { initialMaxData: 2097152, initialMaxStreamsBidi: 100 } },
  session_ticket_encoded: hex(plaintext), nonce: hex(nonce), ticket: hex(Buffer.concat([ticketKeyId, nonce, sealed])),
};

// ── ticket keys of a fleet: one per rotation period, from a shared root secret ──
const rootSecret = fixed('ticket root secret');
const rotationMs = 3_600_000;
const fleetTicketKeys = {
  comment: 'crypto.ticket.fleet-keys: during period n = floor(wall-clock ms / rotation_ms), ticket_key_secret = HKDF-Expand-Label(ticket_root_secret, "ticket key period", u64be(n), 32)',
  ticket_root_secret: hex(rootSecret),
  rotation_ms: rotationMs, // the times: the last ms of a period, the first of the next, one period later
  periods: [1_700_002_799_999, 1_700_002_800_000, 1_700_006_400_000].map((wallMs) => {
    const n = Math.floor(wallMs / rotationMs);
    const period = Buffer.alloc(8);
    period.writeBigUInt64BE(BigInt(n));
    const secret = expandLabel(rootSecret, 'ticket key period', period, 32);
    return { wall_clock_ms: wallMs, period: n, ticket_key_period: hex(period), period_ticket_key_secret: hex(secret), ticket_key_id: hex(expandLabel(secret, 'ticket key id', Buffer.alloc(0), 8)) };
  }),
};

// ── the resumption key schedule with intermediates ──
const resumptionSecret = fixed('resumption secret');
const ticketNonce = fixed('nss nonce', 8);
const clientHelloRecord = fixed('client hello record body', 32);
const ck = fixed('noise ck'), h = fixed('noise h');
const ticketPsk = expandLabel(resumptionSecret, 'ticket psk', ticketNonce, 32);
const earlySecret = extract(INITIAL_SALT, ticketPsk);
const clientHelloHash = createHash('sha256').update(clientHelloRecord).digest();
const clientEarly = expandLabel(earlySecret, 'c e traffic', clientHelloHash, 32);
const resumedCk = extract(ck, ticketPsk);
const keySchedule = {
  comment: 'spec/crypto.yaml steps ticket_psk … resumed_server_1rtt_secret; the early key/iv/hp of each suite from client_early_secret',
  inputs: { resumption_secret: hex(resumptionSecret), ticket_nonce: hex(ticketNonce), client_hello_record: hex(clientHelloRecord), noise_ck: hex(ck), noise_h: hex(h) },
  ticket_psk: hex(ticketPsk), early_secret: hex(earlySecret), client_hello_hash: hex(clientHelloHash), client_early_secret: hex(clientEarly),
  early_packet_keys: { key: hex(expandLabel(clientEarly, 'key', Buffer.alloc(0), 32)), iv: hex(expandLabel(clientEarly, 'iv', Buffer.alloc(0), 12)), hp: hex(expandLabel(clientEarly, 'hp', Buffer.alloc(0), 32)) },
  resumed_ck: hex(resumedCk),
  resumed_client_1rtt_secret: hex(expandLabel(resumedCk, 'c 1rtt', h, 32)),
  resumed_server_1rtt_secret: hex(expandLabel(resumedCk, 's 1rtt', h, 32)),
};

// ── cases through the runtime ──
const T0 = 1_700_000_000_000;
const base = (id: string, over: Partial<ResumptionInput> = {}): ResumptionInput => ({
  suite: 'chacha20_poly1305_sha256', group: 'x25519',
  server_static_secret: hex(fixed('server static')), ticket_key_secret: hex(fixed('ticket key secret')),
  seed: id, issued_at_ms: T0, client_now_ms: T0 + 2000, server_now_ms: T0 + 2050, early_data: true,
  lifetime_s: 604800, max_early_data: 65536, freshness_window_ms: 10_000, grace_ms: 3600_000, server_initial_max_data: 2 << 20,
  ...over,
});
const cases: { id: string; comment: string; input: ResumptionInput; expected: ReturnType<typeof runResumption>; reqs: string[] }[] = [];
const add = (id: string, comment: string, input: ResumptionInput, reqs: string[]) => cases.push({ id, comment, input, expected: runResumption(p, input), reqs });
for (const s of SUITES) for (const g of GROUPS) for (const early of [true, false]) {
  const id = `resume-${s.id}-${g.id}-${early ? '0rtt' : '1rtt'}`;
  add(id, `resumption ${early ? 'with' : 'without'} 0-RTT, ${s.id}, ${g.id}`, base(id, { suite: s.id, group: g.id, early_data: early }), ['crypto.resumption.psk', 'crypto.ticket.encryption']);
}
add('tampered', 'a byte of the ticket flipped: it does not authenticate; full handshake', base('tampered', { edit: 'flip_ticket_byte' }), ['crypto.ticket.encryption', 'crypto.ticket.reject-fallback']);
add('expired', 'offered after its lifetime (60 s): full handshake', base('expired', { lifetime_s: 60, client_now_ms: T0 + 61_000, server_now_ms: T0 + 61_000 }), ['crypto.ticket.reject-fallback', 'constants.ticket.max-lifetime']);
add('rotated-out', 'its key was retired and the grace period (0) is over: full handshake', base('rotated-out', { grace_ms: 0, edit: 'rotate_past_grace' }), ['crypto.ticket.rotation']);
add('other-identity', 'offered to another static key of the same server: full handshake', base('other-identity', { other_static_secret: hex(fixed('other static')), edit: 'other_identity' }), ['crypto.ticket.reject-fallback', 'crypto.ticket.client-store']);
add('replayed', 'the same first flight reaches a second server process sharing the ticket keys and record: refused, no 0-RTT', base('replayed', { edit: 'replay_first_flight' }), ['crypto.anti-replay.single-use']);
add('ticket-age', 'the server sees the first flight 30 s late: resumed, 0-RTT rejected', base('ticket-age', { server_now_ms: T0 + 32_000 }), ['crypto.anti-replay.ticket-age']);
add('lowered-limits', 'the server now sends a lower initial_max_data than the ticket remembers: resumed, 0-RTT rejected', base('lowered-limits', { server_initial_max_data: 1 << 20 }), ['crypto.early-data.unsafe-parameters']);
add('early-data-without-ticket', 'a ClientHello that sets early_data but offers no ticket: the server fails with PROTOCOL_VIOLATION', base('early-data-without-ticket', { edit: 'early_data_without_ticket' }), ['crypto.resumption.psk']);
add('no-early-data', 'the ticket allows no 0-RTT (max_early_data 0): resumed without it', base('no-early-data', { max_early_data: 0 }), ['crypto.early-data.unsafe-parameters']);

const file = {
  schema: 'resumption_v1',
  specFiles: ['spec/crypto.yaml', 'spec/machines/handshake.yaml'],
  notes: 'Random streams: src/core/rng.ts (HMAC-SHA256(seed, u64 counter) blocks). Wall-clock times are ms since the Unix epoch.',
  ticket_encryption: ticketEncryption,
  fleet_ticket_keys: fleetTicketKeys,
  key_schedule: keySchedule,
  numberOfTests: cases.length,
  cases,
};
const text = JSON.stringify(file, null, 1) + '\n';
if (process.argv.includes('--check')) {
  let old = '';
  try { old = readFileSync(OUT, 'utf8'); } catch { /* missing */ }
  if (old !== text) { console.error('resumption.json: stale (run npm run vectors:resumption)'); process.exitCode = 1; }
  else console.log('resumption vectors: up to date');
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${cases.length} cases`);
}
