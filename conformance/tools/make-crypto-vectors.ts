/**
 * Writes the crypto vectors `conformance/vectors/crypto/{key-schedule,packet-protection}.json`
 * (format: conformance/vectors/crypto/README.md).
 *
 * Independent of the runtime on purpose: the spec is read from `spec/crypto.yaml` (and the version
 * and frame codes from `spec/constants.yaml`, `spec/frames.yaml`) with the `yaml` package, and
 * every value is computed here with `node:crypto` called directly — HKDF written out on HMAC,
 * the HkdfLabel assembled byte by byte, headers built by hand. Nothing is imported from `src/`,
 * so `test/core/protection-vectors.test.ts`, which checks that the runtime (both providers)
 * reproduces every value, compares two implementations, not one with itself.
 *
 * Deterministic: every input is fixed below, so running it twice gives the same bytes.
 *
 *   npm run vectors:crypto              write the files
 *   npm run vectors:crypto -- --check   fail when a committed file differs from what would be written
 *
 * @module
 */
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'conformance/vectors/crypto');
const check = process.argv.includes('--check');

// ───────────────────────────── the spec ─────────────────────────────

const specText = readFileSync(join(ROOT, 'spec/crypto.yaml'), 'utf8');
const spec = parse(specText);
const constantsSpec = parse(readFileSync(join(ROOT, 'spec/constants.yaml'), 'utf8'));
const framesSpec = parse(readFileSync(join(ROOT, 'spec/frames.yaml'), 'utf8'));

interface Step { id: string; op: string; label?: string; length: number; ikm?: unknown; salt?: unknown }
interface Suite { id: string; value: number; aead: 'aes-256-gcm' | 'chacha20-poly1305'; header_protection: 'aes-256-ecb' | 'chacha20'; key_length: number; iv_length: number; tag_length: number }

const step = (id: string): Step => {
  const s = (spec.schedule as Step[]).find((x) => x.id === id);
  if (!s) throw new Error(`spec/crypto.yaml: no schedule step ${id}`);
  return s;
};
const constant = (id: string): { id: string; hex?: string; value?: unknown; suite?: string } => {
  const c = (spec.constants as Array<{ id: string; hex?: string; value?: unknown; suite?: string }>).find((x) => x.id === id);
  if (!c) throw new Error(`spec/crypto.yaml: no constant ${id}`);
  return c;
};
const label = (id: string): string => step(id).label!;
const PREFIX: string = spec.expand_label.prefix;
const SUITES: Suite[] = spec.suites;
const INITIAL_SUITE = SUITES.find((s) => s.id === (constant('initial_suite').suite ?? constant('initial_suite').value))!;
if (INITIAL_SUITE === undefined) throw new Error('spec/crypto.yaml: initial_suite names no suite');
const INITIAL_SALT = Buffer.from(constant('initial_salt').hex!, 'hex');
const VERSION_1: number = constantsSpec.constants.find((c: { id: string }) => c.id === 'version_1').value;
const FRAME = (id: string): number => framesSpec.structs.find((f: { id: string }) => f.id === id).code;
/** The ikm of retry_secret: ASCII text (`ikm: { ascii: retry }`). */
const RETRY_IKM: string = ((ikm) => (typeof ikm === 'string' ? ikm : (ikm as { ascii: string }).ascii))(step('retry_secret').ikm);

// ───────────────────────────── primitives, on node:crypto ─────────────────────────────

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');
const sha256 = (...d: Uint8Array[]): Buffer => d.reduce((h, x) => h.update(x), createHash('sha256')).digest();
const hmac = (k: Uint8Array, ...d: Uint8Array[]): Buffer => d.reduce((h, x) => h.update(x), createHmac('sha256', k)).digest();
const extract = (salt: Uint8Array, ikm: Uint8Array): Buffer => hmac(salt, ikm);
function expand(prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const out: Buffer[] = [];
  let t: Buffer = Buffer.alloc(0);
  for (let i = 1; out.length * 32 < length; i++) {
    t = hmac(prk, t, info, Uint8Array.of(i));
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}
/** HkdfLabel = u16 length ‖ u8 len(prefix ‖ label) ‖ prefix ‖ label ‖ u8 len(context) ‖ context. */
function hkdfLabel(lbl: string, context: Uint8Array, length: number): Buffer {
  const full = Buffer.from(PREFIX + lbl, 'ascii');
  return Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
}
const expandLabel = (secret: Uint8Array, lbl: string, context: Uint8Array, length: number): Buffer =>
  expand(secret, hkdfLabel(lbl, context, length), length);

function seal(suite: Suite, key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv(suite.aead as 'aes-256-gcm', key, nonce, { authTagLength: suite.tag_length });
  c.setAAD(aad);
  const ct = c.update(pt);
  c.final();
  return Buffer.concat([ct, c.getAuthTag()]);
}
function mask(kind: Suite['header_protection'], hp: Uint8Array, sample: Uint8Array): Buffer {
  if (kind === 'aes-256-ecb') return createCipheriv('aes-256-ecb', hp, null).setAutoPadding(false).update(sample).subarray(0, 5);
  // node's chacha20 takes the 16-byte IV as counter (LE) ‖ nonce: exactly the sample (RFC 9001 §5.4.4)
  return createCipheriv('chacha20', hp, sample).update(Buffer.alloc(5));
}
function nonceOf(iv: Uint8Array, pn: number): Buffer {
  const n = Buffer.from(iv);
  const be = Buffer.alloc(8);
  be.writeBigUInt64BE(BigInt(pn));
  for (let i = 0; i < 8; i++) n[n.length - 8 + i] ^= be[i];
  return n;
}

const EMPTY = Buffer.alloc(0);

function keysOf(suite: Suite, secret: Uint8Array) {
  return {
    key: expandLabel(secret, label('packet_key'), EMPTY, suite.key_length),
    iv: expandLabel(secret, label('packet_iv'), EMPTY, suite.iv_length),
    hp: expandLabel(secret, label('header_protection_key'), EMPTY, step('header_protection_key').length),
  };
}

/** Fixed inputs: SHA-256 of a tag, so nothing in the files is an unexplained constant. */
const fixed = (tag: string, n = 32): Buffer => sha256(Buffer.from(`JSP vectors: ${tag}`)).subarray(0, n);

// ───────────────────────────── key-schedule.json ─────────────────────────────

const specSha256 = createHash('sha256').update(specText).digest('hex');

const labels = Object.fromEntries((spec.schedule as Step[]).filter((s) => s.op === 'expand_label').map((s) => [s.id, {
  label: s.label,
  fullLabel: PREFIX + s.label,
  length: s.length,
  hkdfLabelEmptyContext: hex(hkdfLabel(s.label!, EMPTY, s.length)),
}]));

const DCIDS: Array<[string, Buffer]> = [
  ['the DCID of RFC 9001 Appendix A (8 bytes)', unhex('8394c8f03e515708')],
  ['the minimum Initial DCID length (8 bytes)', fixed('dcid 8', 8)],
  ['the maximum connection ID length (20 bytes)', fixed('dcid 20', 20)],
  ['an empty DCID (the extract still runs; a client never sends one shorter than 8)', EMPTY],
];

const initial = DCIDS.map(([comment, dcid]) => {
  const initialSecret = extract(INITIAL_SALT, dcid);
  const client = expandLabel(initialSecret, label('client_initial_secret'), EMPTY, step('client_initial_secret').length);
  const server = expandLabel(initialSecret, label('server_initial_secret'), EMPTY, step('server_initial_secret').length);
  const ck = keysOf(INITIAL_SUITE, client), sk = keysOf(INITIAL_SUITE, server);
  return {
    comment,
    clientDcid: hex(dcid),
    initialSecret: hex(initialSecret),
    clientInitialSecret: hex(client),
    serverInitialSecret: hex(server),
    client: { key: hex(ck.key), iv: hex(ck.iv), hp: hex(ck.hp) },
    server: { key: hex(sk.key), iv: hex(sk.iv), hp: hex(sk.hp) },
  };
});

const keyUpdate = SUITES.map((suite) => {
  const chain = [];
  let secret = fixed(`traffic secret ${suite.id}`);
  const hp = keysOf(suite, secret).hp;
  for (let generation = 0; generation <= 3; generation++) {
    const k = keysOf(suite, secret);
    chain.push({ generation, keyPhase: generation & 1, secret: hex(secret), key: hex(k.key), iv: hex(k.iv) });
    secret = expandLabel(secret, label('next_traffic_secret'), EMPTY, step('next_traffic_secret').length);
  }
  return { suite: suite.id, hp: hex(hp), generations: chain };
});

const expandLabelCases = (spec.schedule as Step[]).filter((s) => s.op === 'expand_label').map((s) => {
  const secret = fixed('expand_label secret');
  const context = s.id === 'exporter_secret' || s.id === 'resumption_secret' ? fixed('handshake hash h') : EMPTY;
  return {
    step: s.id,
    secret: hex(secret),
    label: s.label,
    context: hex(context),
    length: s.length,
    hkdfLabel: hex(hkdfLabel(s.label!, context, s.length)),
    output: hex(expandLabel(secret, s.label!, context, s.length)),
  };
});

const retrySecret = extract(INITIAL_SALT, Buffer.from(RETRY_IKM, 'ascii'));
const retryKey = expandLabel(retrySecret, label('retry_key'), EMPTY, step('retry_key').length);
const retryNonce = expandLabel(retrySecret, label('retry_nonce'), EMPTY, step('retry_nonce').length);
const odcid = unhex('8394c8f03e515708');
const retryWithoutTag = Buffer.concat([
  Buffer.from([0xf0 | 0x05]), // long header, fixed bit, type 3 (Retry), unused bits 0101
  u32(VERSION_1),
  Buffer.from([8]), fixed('client scid', 8), // DCID: the client's SCID
  Buffer.from([8]), fixed('server new cid', 8), // SCID: the connection ID the server chose
  fixed('retry token', 24), // the token
]);
const pseudo = Buffer.concat([Buffer.from([odcid.length]), odcid, retryWithoutTag]);
const retryTag = seal(INITIAL_SUITE, retryKey, retryNonce, EMPTY, pseudo);

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}

const keySchedule = {
  schema: 'crypto_key_schedule_v1',
  specFile: 'spec/crypto.yaml',
  specSha256,
  generator: 'conformance/tools/make-crypto-vectors.ts (node:crypto, no runtime code)',
  format: 'conformance/vectors/crypto/README.md',
  hash: 'SHA-256',
  expandLabelPrefix: PREFIX,
  initialSalt: hex(INITIAL_SALT),
  initialSuite: INITIAL_SUITE.id,
  labels,
  expandLabel: expandLabelCases,
  initial,
  keyUpdate,
  retry: {
    ikm: RETRY_IKM,
    retrySecret: hex(retrySecret),
    retryKey: hex(retryKey),
    retryNonce: hex(retryNonce),
    aead: INITIAL_SUITE.aead,
    example: {
      comment: 'tag = AEAD(retry_key, retry_nonce, plaintext = empty, aad = pseudo); pseudo = u8 len(odcid) ‖ odcid ‖ the Retry packet without its tag (RFC 9001 §5.8)',
      originalDcid: hex(odcid),
      retryWithoutTag: hex(retryWithoutTag),
      pseudoPacket: hex(pseudo),
      tag: hex(retryTag),
      retryPacket: hex(Buffer.concat([retryWithoutTag, retryTag])),
    },
  },
};

// ───────────────────────────── packet-protection.json ─────────────────────────────

const hpMasks = SUITES.flatMap((suite) => {
  const hp = fixed(`hp key ${suite.header_protection}`);
  const samples: Array<[string, Buffer]> = [
    ['a sample', fixed(`sample ${suite.header_protection}`, 16)],
    ['all-zero sample', Buffer.alloc(16)],
    ['all-ones sample (ChaCha20: counter 2^32 − 1)', Buffer.alloc(16, 0xff)],
  ];
  if (suite.header_protection === 'chacha20') {
    const s = fixed('sample chacha20 counter edge', 16);
    s.writeUInt32LE(0xffffffff, 0);
    samples.push(['counter 2^32 − 1 with a non-trivial nonce', s]);
  }
  return samples.map(([comment, sample]) => ({ kind: suite.header_protection, comment, hp: hex(hp), sample: hex(sample), mask: hex(mask(suite.header_protection, hp, sample)) }));
});

const varint2 = (v: number): Buffer => Buffer.from([0x40 | (v >> 8), v & 0xff]);
function pnBytes(pn: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = len - 1, v = pn; i >= 0; i--, v = Math.floor(v / 256)) b[i] = v & 0xff;
  return b;
}

interface PacketInput {
  comment: string; suite: Suite; secret: Buffer; secretOf: string;
  /** The secret the header-protection key comes from: the first of the direction (hp does not change on key update). */
  hpSecret: Buffer;
  header: Buffer; pnOffset: number; pn: number; largest: number; payload: Buffer;
}

function protectCase(c: PacketInput) {
  const k = { ...keysOf(c.suite, c.secret), hp: keysOf(c.suite, c.hpSecret).hp };
  const pnLength = (c.header[0] & 3) + 1;
  const nonce = nonceOf(k.iv, c.pn);
  const sealed = seal(c.suite, k.key, nonce, c.payload, c.header);
  const packet = Buffer.concat([c.header, sealed]);
  const sample = packet.subarray(c.pnOffset + 4, c.pnOffset + 20);
  const m = mask(c.suite.header_protection, k.hp, sample);
  const protectedPacket = Buffer.from(packet);
  protectedPacket[0] ^= m[0] & ((protectedPacket[0] & 0x80) !== 0 ? 0x0f : 0x1f);
  for (let i = 0; i < pnLength; i++) protectedPacket[c.pnOffset + i] ^= m[1 + i];
  return {
    comment: c.comment,
    suite: c.suite.id,
    form: (c.header[0] & 0x80) !== 0 ? 'long' : 'short',
    secret: hex(c.secret),
    secretOf: c.secretOf,
    hpSecret: hex(c.hpSecret),
    key: hex(k.key),
    iv: hex(k.iv),
    hp: hex(k.hp),
    header: hex(c.header),
    pnOffset: c.pnOffset,
    pnLength,
    packetNumber: c.pn,
    largestReceived: c.largest,
    payload: hex(c.payload),
    nonce: hex(nonce),
    sealedPayload: hex(sealed),
    sample: hex(sample),
    mask: hex(m),
    protectedPacket: hex(protectedPacket),
  };
}

const PADDING = FRAME('padding'), PING = FRAME('ping');
const packets = SUITES.flatMap((suite) => {
  // Long header, Initial type, padded to a 1200-byte datagram.
  const dcid = unhex('8394c8f03e515708'), scid = fixed('client scid', 8);
  const pnL = 2, pnLong = 2;
  const total = 1200;
  const headerWithoutLength = Buffer.concat([Buffer.from([0xc0 | (pnL - 1)]), u32(VERSION_1), Buffer.from([dcid.length]), dcid, Buffer.from([scid.length]), scid, Buffer.from([0])]);
  const lengthField = total - headerWithoutLength.length - 2; // bytes after the Length field: pn + payload + tag
  const longHeader = Buffer.concat([headerWithoutLength, varint2(lengthField), pnBytes(pnLong, pnL)]);
  const longPayload = Buffer.alloc(lengthField - pnL - suite.tag_length, PADDING);
  longPayload[0] = PING;
  const isInitialSuite = suite.id === INITIAL_SUITE.id;
  const initialSecret = extract(INITIAL_SALT, dcid);
  const longSecret = isInitialSuite
    ? expandLabel(initialSecret, label('client_initial_secret'), EMPTY, step('client_initial_secret').length)
    : fixed(`traffic secret ${suite.id}`);
  // Short header: 8-byte DCID, key phase 1, 3-byte packet number.
  const pnShort = 0x12345678, pnS = 3;
  const shortHeader = Buffer.concat([Buffer.from([0x40 | 0x04 | (pnS - 1)]), fixed('server cid', 8), pnBytes(pnShort, pnS)]);
  const shortPayload = Buffer.concat([Buffer.from([PING]), Buffer.alloc(20, PADDING)]);
  return [
    protectCase({
      comment: isInitialSuite
        ? 'A client Initial packet (PING, then PADDING to a 1200-byte datagram) under client_initial_secret of its DCID: the packet every connection starts with'
        : `The Initial layout under ${suite.id} keys: long-header protection (4 protected bits of the first byte) with this suite. The protocol sends Initial packets under initial_suite only; 0-RTT packets differ in their type bits`,
      suite,
      secret: longSecret,
      secretOf: isInitialSuite ? `client_initial_secret of DCID ${hex(dcid)}` : `fixed: SHA-256("JSP vectors: traffic secret ${suite.id}")`,
      hpSecret: longSecret,
      header: longHeader,
      pnOffset: longHeader.length - pnL,
      pn: pnLong,
      largest: pnLong - 1,
      payload: longPayload,
    }),
    protectCase({
      comment: 'A 1-RTT packet: short header, key phase 1 (AEAD key and IV of generation 1 of the keyUpdate chain, header protection of generation 0: it does not change on key update), 3-byte packet number',
      suite,
      secret: expandLabel(fixed(`traffic secret ${suite.id}`), label('next_traffic_secret'), EMPTY, step('next_traffic_secret').length),
      secretOf: `generation 1 of this suite's keyUpdate chain in key-schedule.json`,
      hpSecret: fixed(`traffic secret ${suite.id}`),
      header: shortHeader,
      pnOffset: 1 + 8,
      pn: pnShort,
      largest: pnShort - 1,
      payload: shortPayload,
    }),
  ];
});

const packetProtection = {
  schema: 'crypto_packet_protection_v1',
  specFile: 'spec/crypto.yaml',
  specSha256,
  generator: 'conformance/tools/make-crypto-vectors.ts (node:crypto, no runtime code)',
  format: 'conformance/vectors/crypto/README.md',
  hpMasks,
  packets,
};

// ───────────────────────────── write / check ─────────────────────────────

mkdirSync(OUT, { recursive: true });
let stale = 0;
for (const [name, value] of [['key-schedule.json', keySchedule], ['packet-protection.json', packetProtection]] as const) {
  const text = JSON.stringify(value, null, 1) + '\n';
  const path = join(OUT, name);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (check) {
    if (current !== text) {
      process.stderr.write(`${name}: stale (run npm run vectors:crypto)\n`);
      stale++;
    }
  } else if (current !== text) {
    writeFileSync(path, text);
    process.stdout.write(`wrote conformance/vectors/crypto/${name}\n`);
  } else {
    process.stdout.write(`conformance/vectors/crypto/${name} unchanged\n`);
  }
}
if (stale > 0) process.exit(1);
