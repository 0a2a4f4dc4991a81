// GENERATED from spec/messages.yaml (sha256 3fd2be8b0a39d206) — do not edit.
// GENERATED from spec/constants.yaml (sha256 6157bce807aa6e9a) — do not edit.
// GENERATED from spec/errors.yaml (sha256 f1c138e35f23f207) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.

/**
 * Control messages: the protobuf (proto3 wire format) codec of spec/messages.yaml; the schema is `schema/jetstream.proto`.
 *
 * Encoders write the canonical encoding: fields in increasing field-number order, repeated scalars packed,
 * implicit-presence fields omitted when they hold their default, explicit-presence fields whenever present.
 * Decoders accept any valid protobuf encoding and are stricter than protobuf on values (messages.ranges):
 * a wrong wire type for a declared field is 'wire_type', a value outside its range (or a bool other than 0/1)
 * 'out_of_range', an unknown value of a closed enum 'invalid_enum', too many elements 'too_many'.
 * A singular field seen twice: the last occurrence wins, whole for a message (protobuf would merge).
 * Bytes are views into the input.
 *
 * @module
 */
import { EncodeError, Reader, Writer, describeValue, rangeError } from '../codec/index.ts';

/** max_message_size (spec/constants.yaml): Longest encoded control message (protobuf) that a decoder accepts. */
const MAX_MESSAGE_SIZE = 16384;

/** PROTOCOL_VIOLATION (spec/errors.yaml): A protocol rule was broken that no more specific code covers. */
const PROTOCOL_VIOLATION = 0x0a;

/** TRANSPORT_PARAMETER_ERROR (spec/errors.yaml): The transport parameters are malformed, invalid or missing. */
const TRANSPORT_PARAMETER_ERROR = 0x08;

/** The value of an absent bytes field (shared: a zero-length view cannot be written to). */
const EMPTY = new Uint8Array(0);

/**
 * AEAD cipher suites. Unknown values are kept so that a newer peer's offer can be read.
 *
 * Decoders keep values outside this table (0..2^31-1).
 */
export const CipherSuite = {
  /** No suite (never offered). */
  UNSPECIFIED: 0,
  /** ChaCha20-Poly1305 with HKDF-SHA256. */
  CHACHA20_POLY1305_SHA256: 1,
  /** AES-256-GCM with HKDF-SHA256. */
  AES_256_GCM_SHA256: 2,
} as const;
/** A {@link CipherSuite} value (or an unknown one, kept). */
export type CipherSuite = number;

/**
 * Key-exchange groups. Unknown values are kept so that a newer peer's offer can be read.
 *
 * Decoders keep values outside this table (0..2^31-1).
 */
export const KexGroup = {
  /** No group (never offered). */
  UNSPECIFIED: 0,
  /** X25519 (RFC 7748). */
  X25519: 1,
  /** Hybrid X25519 + ML-KEM-768 (FIPS 203). */
  X25519_MLKEM768: 2,
} as const;
/** A {@link KexGroup} value (or an unknown one, kept). */
export type KexGroup = number;

/**
 * Which layer closed the connection.
 *
 * A value outside this table is a decode error ('invalid_enum').
 */
export const CloseOrigin = {
  /** Not said. */
  UNSPECIFIED: 0,
  /** The transport. */
  TRANSPORT: 1,
  /** The application. */
  APPLICATION: 2,
} as const;
/** A {@link CloseOrigin} value. */
export type CloseOrigin = number;

// ───────────────────────────── handshake_message ─────────────────────────────

/**
 * One record of the handshake stream (the data of HANDSHAKE frames in Initial packets). The
 * stream is a sequence of records, each a varint length followed by a HandshakeMessage of that
 * many bytes; each record sets exactly one of its fields (a oneof, written as optional fields).
 */
export interface HandshakeMessage {
  /**
   * The client's first (or, after a HelloRetryRequest, second) message.
   *
   * Field 1 (ClientHello).
   */
  clientHello?: ClientHello;
  /**
   * The server's answer.
   *
   * Field 2 (ServerHello).
   */
  serverHello?: ServerHello;
  /**
   * The server's request to retry with another suite or group.
   *
   * Field 3 (HelloRetryRequest).
   */
  helloRetryRequest?: HelloRetryRequest;
}

/** Smallest encoding of a valid {@link HandshakeMessage}. */
export const HANDSHAKE_MESSAGE_MIN_SIZE = 0;
/** Largest encoding of a {@link HandshakeMessage} (at most max_message_size). */
export const HANDSHAKE_MESSAGE_MAX_SIZE = 9317;

/**
 * Reads a {@link HandshakeMessage} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readHandshakeMessage(r: Reader): HandshakeMessage {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'handshake_message', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let clientHello: ClientHello | undefined = undefined;
  let serverHello: ServerHello | undefined = undefined;
  let helloRetryRequest: HelloRetryRequest | undefined = undefined;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'handshake_message'); p = r.pos; }
    }
    switch (tag) {
      case 0x0a: { // 1 client_hello: LEN, the last occurrence wins whole
        r.pos = p;
        const n = r.pbVarint('handshake_message.client_hello');
        if (n > MAX_MESSAGE_SIZE) outOfRange(r, 'handshake_message.client_hello', n, 0, MAX_MESSAGE_SIZE, at);
        clientHello = readClientHello(r.sub(n, 'handshake_message.client_hello'));
        p = r.pos;
        break;
      }
      case 0x12: { // 2 server_hello: LEN, the last occurrence wins whole
        r.pos = p;
        const n = r.pbVarint('handshake_message.server_hello');
        if (n > MAX_MESSAGE_SIZE) outOfRange(r, 'handshake_message.server_hello', n, 0, MAX_MESSAGE_SIZE, at);
        serverHello = readServerHello(r.sub(n, 'handshake_message.server_hello'));
        p = r.pos;
        break;
      }
      case 0x1a: { // 3 hello_retry_request: LEN, the last occurrence wins whole
        r.pos = p;
        const n = r.pbVarint('handshake_message.hello_retry_request');
        if (n > MAX_MESSAGE_SIZE) outOfRange(r, 'handshake_message.hello_retry_request', n, 0, MAX_MESSAGE_SIZE, at);
        helloRetryRequest = readHelloRetryRequest(r.sub(n, 'handshake_message.hello_retry_request'));
        p = r.pos;
        break;
      }
      default:
        if (tag < 0x20) badWireType(r, 'handshake_message', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'handshake_message'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  return { clientHello, serverHello, helloRetryRequest };
}

/**
 * Validates a {@link HandshakeMessage} (throwing {@link EncodeError}) and returns its exact canonical encoded size.
 */
export function sizeHandshakeMessage(v: HandshakeMessage): number {
  let n = 0;
  // 1 client_hello
  if (v.clientHello !== undefined) {
    n += 1 + lenSize(sizeClientHello(v.clientHello));
  }
  // 2 server_hello
  if (v.serverHello !== undefined) {
    n += 1 + lenSize(sizeServerHello(v.serverHello));
  }
  // 3 hello_retry_request
  if (v.helloRetryRequest !== undefined) {
    n += 1 + lenSize(sizeHelloRetryRequest(v.helloRetryRequest));
  }
  return n;
}

/**
 * Writes a {@link HandshakeMessage} that {@link sizeHandshakeMessage} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putHandshakeMessage(b: Uint8Array, p: number, v: HandshakeMessage): number {
  // 1 client_hello
  if (v.clientHello !== undefined) {
    b[p++] = 0x0a; // field 1, LEN
    p = endLen(b, p, putClientHello(b, p + 1, v.clientHello));
  }
  // 2 server_hello
  if (v.serverHello !== undefined) {
    b[p++] = 0x12; // field 2, LEN
    p = endLen(b, p, putServerHello(b, p + 1, v.serverHello));
  }
  // 3 hello_retry_request
  if (v.helloRetryRequest !== undefined) {
    b[p++] = 0x1a; // field 3, LEN
    p = endLen(b, p, putHelloRetryRequest(b, p + 1, v.helloRetryRequest));
  }
  return p;
}

/** Validates a {@link HandshakeMessage} and writes its canonical encoding (no length prefix) to `w`. */
export function writeHandshakeMessage(w: Writer, v: HandshakeMessage): void {
  w.bytes(encodeHandshakeMessage(v));
}

/**
 * Decodes a whole {@link HandshakeMessage}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeHandshakeMessage(bytes: Uint8Array): HandshakeMessage {
  return readHandshakeMessage(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link HandshakeMessage} and encodes it canonically into exactly {@link sizeHandshakeMessage} bytes: a view into a shared slab (see alloc).
 */
export function encodeHandshakeMessage(v: HandshakeMessage): Uint8Array {
  const n = sizeHandshakeMessage(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'handshake_message', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putHandshakeMessage(b, 0, v);
  if (end !== n) throw new Error(`encodeHandshakeMessage: wrote ${end} bytes, sizeHandshakeMessage said ${n}`);
  return b;
}

// ───────────────────────────── client_hello ─────────────────────────────

/**
 * The client's handshake message: its offer, bound byte for byte into the Noise prologue, and
 * Noise message 1 (spec/crypto.yaml).
 */
export interface ClientHello {
  /**
   * A ClientOffer, canonically encoded. It is carried as bytes so that the prologue is exactly what the client sent.
   *
   * Field 1 (bytes, 1..1024 bytes).
   */
  offer: Uint8Array;
  /**
   * Noise message 1 — the client's ephemeral key, its ML-KEM key (hybrid), its static key (IK), and the encrypted ClientPayload.
   *
   * Field 2 (bytes, 32..4096 bytes).
   */
  noise: Uint8Array;
}

/** Smallest encoding of a valid {@link ClientHello}. */
export const CLIENT_HELLO_MIN_SIZE = 37;
/** Largest encoding of a {@link ClientHello} (at most max_message_size). */
export const CLIENT_HELLO_MAX_SIZE = 5126;

/**
 * Reads a {@link ClientHello} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readClientHello(r: Reader): ClientHello {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'client_hello', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let offer: Uint8Array = EMPTY;
  let noise: Uint8Array = EMPTY;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'client_hello'); p = r.pos; }
    }
    switch (tag) {
      case 0x0a: { // 1 offer: LEN
        r.pos = p;
        offer = readBytes(r, 'client_hello.offer', 1, 1024, at);
        p = r.pos;
        break;
      }
      case 0x12: { // 2 noise: LEN
        r.pos = p;
        noise = readBytes(r, 'client_hello.noise', 32, 4096, at);
        p = r.pos;
        break;
      }
      default:
        if (tag < 0x18) badWireType(r, 'client_hello', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'client_hello'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  if (offer.length === 0) r.fail('out_of_range', 'client_hello.offer', 'absent (so empty), needs 1..1024 bytes', r.end);
  if (noise.length === 0) r.fail('out_of_range', 'client_hello.noise', 'absent (so empty), needs 32..4096 bytes', r.end);
  return { offer, noise };
}

/** Validates a {@link ClientHello} (throwing {@link EncodeError}) and returns its exact canonical encoded size. */
export function sizeClientHello(v: ClientHello): number {
  let n = 0;
  // 1 offer
  checkBytes(v.offer, 1, 1024, 'client_hello.offer');
  if (v.offer.length !== 0) n += 1 + varintSize(v.offer.length) + v.offer.length;
  // 2 noise
  checkBytes(v.noise, 32, 4096, 'client_hello.noise');
  if (v.noise.length !== 0) n += 1 + varintSize(v.noise.length) + v.noise.length;
  return n;
}

/**
 * Writes a {@link ClientHello} that {@link sizeClientHello} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putClientHello(b: Uint8Array, p: number, v: ClientHello): number {
  // 1 offer
  if (v.offer.length !== 0) {
    b[p++] = 0x0a; // field 1, LEN
    p = putBytes(b, p, v.offer);
  }
  // 2 noise
  if (v.noise.length !== 0) {
    b[p++] = 0x12; // field 2, LEN
    p = putBytes(b, p, v.noise);
  }
  return p;
}

/** Validates a {@link ClientHello} and writes its canonical encoding (no length prefix) to `w`. */
export function writeClientHello(w: Writer, v: ClientHello): void {
  w.bytes(encodeClientHello(v));
}

/**
 * Decodes a whole {@link ClientHello}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeClientHello(bytes: Uint8Array): ClientHello {
  return readClientHello(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link ClientHello} and encodes it canonically into exactly {@link sizeClientHello} bytes: a view into a shared slab (see alloc).
 */
export function encodeClientHello(v: ClientHello): Uint8Array {
  const n = sizeClientHello(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'client_hello', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putClientHello(b, 0, v);
  if (end !== n) throw new Error(`encodeClientHello: wrote ${end} bytes, sizeClientHello said ${n}`);
  return b;
}

// ───────────────────────────── client_offer ─────────────────────────────

/**
 * What the client offers, in the clear (the server must read it before it can read anything
 * encrypted). The client's handshake uses the first version, suite and group listed.
 */
export interface ClientOffer {
  /**
   * Versions the client supports, most preferred first.
   *
   * Field 1 (uint32, at most 16).
   */
  versions: number[];
  /**
   * Cipher suites the client offers, most preferred first; the first is the one its Noise message uses.
   *
   * Field 2 (CipherSuite, unknown values kept, at most 16).
   */
  cipherSuites: CipherSuite[];
  /**
   * Key-exchange groups the client supports, most preferred first; the first is the one its Noise message uses.
   *
   * Field 3 (KexGroup, unknown values kept, at most 16).
   */
  groups: KexGroup[];
  /**
   * The first 8 bytes of SHA-256 of the server static key the client pinned.
   *
   * Field 4 (bytes, exactly 8 bytes).
   */
  serverKeyId: Uint8Array;
  /**
   * Set when the client authenticates with a static key (pattern IK instead of NK).
   *
   * Field 5 (bool).
   */
  clientAuth: boolean;
  /**
   * The cookie of a HelloRetryRequest, in the second ClientHello; empty otherwise.
   *
   * Field 6 (bytes, 0..255 bytes).
   */
  cookie: Uint8Array;
  /**
   * A session ticket, when resuming.
   *
   * Field 7 (bytes, 0..2048 bytes).
   */
  pskIdentity?: Uint8Array;
  /**
   * Ticket age in milliseconds plus the ticket's age_add, modulo 2^32.
   *
   * Field 8 (uint32).
   */
  obfuscatedTicketAge: number;
  /**
   * Set when 0-RTT packets follow.
   *
   * Field 9 (bool).
   */
  earlyData: boolean;
}

/** Smallest encoding of a valid {@link ClientOffer}. */
export const CLIENT_OFFER_MIN_SIZE = 10;
/** Largest encoding of a {@link ClientOffer} (at most max_message_size). */
export const CLIENT_OFFER_MAX_SIZE = 2575;

/**
 * Reads a {@link ClientOffer} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readClientOffer(r: Reader): ClientOffer {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'client_offer', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let versions: number[] = [];
  let cipherSuites: CipherSuite[] = [];
  let groups: KexGroup[] = [];
  let serverKeyId: Uint8Array = EMPTY;
  let clientAuth: boolean = false;
  let cookie: Uint8Array = EMPTY;
  let pskIdentity: Uint8Array | undefined = undefined;
  let obfuscatedTicketAge: number = 0;
  let earlyData: boolean = false;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'client_offer'); p = r.pos; }
    }
    switch (tag) {
      case 0x08: { // 1 versions: varint, one element
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('client_offer.versions'); p = r.pos; }
        if (versions.length === 16) tooMany(r, 'client_offer.versions', 16, at);
        versions.push(x);
        break;
      }
      case 0x0a: { // 1 versions: packed
        r.pos = p;
        const n = r.pbLen('client_offer.versions');
        const stop = r.pos + n;
        p = r.pos;
        while (p < stop) {
          let x = varint32(b, p, stop);
          if (x >= 0) p = next; else { const run = runReader(r, p, stop); x = run.pbUint32('client_offer.versions'); p = run.pos; }
          if (versions.length === 16) tooMany(r, 'client_offer.versions', 16, at);
          versions.push(x);
        }
        break;
      }
      case 0x10: { // 2 cipher_suites: varint, one element
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('client_offer.cipher_suites'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'client_offer.cipher_suites', x, 0, 0x7fff_ffff, at);
        if (cipherSuites.length === 16) tooMany(r, 'client_offer.cipher_suites', 16, at);
        cipherSuites.push(x);
        break;
      }
      case 0x12: { // 2 cipher_suites: packed
        r.pos = p;
        const n = r.pbLen('client_offer.cipher_suites');
        const stop = r.pos + n;
        p = r.pos;
        while (p < stop) {
          let x = varint32(b, p, stop);
          if (x >= 0) p = next; else { const run = runReader(r, p, stop); x = run.pbUint32('client_offer.cipher_suites'); p = run.pos; }
          if (x > 0x7fff_ffff) outOfRange(r, 'client_offer.cipher_suites', x, 0, 0x7fff_ffff, at);
          if (cipherSuites.length === 16) tooMany(r, 'client_offer.cipher_suites', 16, at);
          cipherSuites.push(x);
        }
        break;
      }
      case 0x18: { // 3 groups: varint, one element
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('client_offer.groups'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'client_offer.groups', x, 0, 0x7fff_ffff, at);
        if (groups.length === 16) tooMany(r, 'client_offer.groups', 16, at);
        groups.push(x);
        break;
      }
      case 0x1a: { // 3 groups: packed
        r.pos = p;
        const n = r.pbLen('client_offer.groups');
        const stop = r.pos + n;
        p = r.pos;
        while (p < stop) {
          let x = varint32(b, p, stop);
          if (x >= 0) p = next; else { const run = runReader(r, p, stop); x = run.pbUint32('client_offer.groups'); p = run.pos; }
          if (x > 0x7fff_ffff) outOfRange(r, 'client_offer.groups', x, 0, 0x7fff_ffff, at);
          if (groups.length === 16) tooMany(r, 'client_offer.groups', 16, at);
          groups.push(x);
        }
        break;
      }
      case 0x22: { // 4 server_key_id: LEN
        r.pos = p;
        serverKeyId = readBytes(r, 'client_offer.server_key_id', 8, 8, at);
        p = r.pos;
        break;
      }
      case 0x28: { // 5 client_auth: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('client_offer.client_auth'); p = r.pos; }
        if (x > 1) outOfRange(r, 'client_offer.client_auth', x, 0, 1, at);
        clientAuth = x === 1;
        break;
      }
      case 0x32: { // 6 cookie: LEN
        r.pos = p;
        cookie = readBytes(r, 'client_offer.cookie', 0, 255, at);
        p = r.pos;
        break;
      }
      case 0x3a: { // 7 psk_identity: LEN
        r.pos = p;
        pskIdentity = readBytes(r, 'client_offer.psk_identity', 0, 2048, at);
        p = r.pos;
        break;
      }
      case 0x40: { // 8 obfuscated_ticket_age: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('client_offer.obfuscated_ticket_age'); p = r.pos; }
        obfuscatedTicketAge = x;
        break;
      }
      case 0x48: { // 9 early_data: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('client_offer.early_data'); p = r.pos; }
        if (x > 1) outOfRange(r, 'client_offer.early_data', x, 0, 1, at);
        earlyData = x === 1;
        break;
      }
      default:
        if (tag < 0x50) badWireType(r, 'client_offer', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'client_offer'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  if (serverKeyId.length === 0) r.fail('out_of_range', 'client_offer.server_key_id', 'absent (so empty), needs 8..8 bytes', r.end);
  return {
    versions,
    cipherSuites,
    groups,
    serverKeyId,
    clientAuth,
    cookie,
    pskIdentity,
    obfuscatedTicketAge,
    earlyData,
  };
}

/** Validates a {@link ClientOffer} (throwing {@link EncodeError}) and returns its exact canonical encoded size. */
export function sizeClientOffer(v: ClientOffer): number {
  let n = 0;
  // 1 versions
  {
    const versions = v.versions;
    if (!Array.isArray(versions) || versions.length > 16) throw countError(versions, 16, 'client_offer.versions');
    if (versions.length !== 0) {
      let m = 0;
      for (let i = 0; i < versions.length; i++) {
        const x = versions[i];
        if (x >>> 0 !== x) throw rangeError('client_offer.versions', x, 0, 0xffff_ffff);
        m += varintSize(x);
      }
      n += 1 + varintSize(m) + m; // packed
    }
  }
  // 2 cipher_suites
  {
    const cipherSuites = v.cipherSuites;
    if (!Array.isArray(cipherSuites) || cipherSuites.length > 16) throw countError(cipherSuites, 16, 'client_offer.cipher_suites');
    if (cipherSuites.length !== 0) {
      let m = 0;
      for (let i = 0; i < cipherSuites.length; i++) {
        const x = cipherSuites[i];
        if (x >>> 0 !== x || x > 0x7fff_ffff) throw rangeError('client_offer.cipher_suites', x, 0, 0x7fff_ffff);
        m += varintSize(x);
      }
      n += 1 + varintSize(m) + m; // packed
    }
  }
  // 3 groups
  {
    const groups = v.groups;
    if (!Array.isArray(groups) || groups.length > 16) throw countError(groups, 16, 'client_offer.groups');
    if (groups.length !== 0) {
      let m = 0;
      for (let i = 0; i < groups.length; i++) {
        const x = groups[i];
        if (x >>> 0 !== x || x > 0x7fff_ffff) throw rangeError('client_offer.groups', x, 0, 0x7fff_ffff);
        m += varintSize(x);
      }
      n += 1 + varintSize(m) + m; // packed
    }
  }
  // 4 server_key_id
  checkBytes(v.serverKeyId, 8, 8, 'client_offer.server_key_id');
  if (v.serverKeyId.length !== 0) n += 1 + varintSize(v.serverKeyId.length) + v.serverKeyId.length;
  // 5 client_auth
  if (typeof v.clientAuth !== 'boolean') throw notBoolean('client_offer.client_auth', v.clientAuth);
  if (v.clientAuth) n += 2;
  // 6 cookie
  checkBytes(v.cookie, 0, 255, 'client_offer.cookie');
  if (v.cookie.length !== 0) n += 1 + varintSize(v.cookie.length) + v.cookie.length;
  // 7 psk_identity
  if (v.pskIdentity !== undefined) {
    checkBytes(v.pskIdentity, 0, 2048, 'client_offer.psk_identity');
    n += 1 + varintSize(v.pskIdentity.length) + v.pskIdentity.length;
  }
  // 8 obfuscated_ticket_age
  if (v.obfuscatedTicketAge >>> 0 !== v.obfuscatedTicketAge) throw rangeError('client_offer.obfuscated_ticket_age', v.obfuscatedTicketAge, 0, 0xffff_ffff);
  if (v.obfuscatedTicketAge !== 0) n += 1 + varintSize(v.obfuscatedTicketAge);
  // 9 early_data
  if (typeof v.earlyData !== 'boolean') throw notBoolean('client_offer.early_data', v.earlyData);
  if (v.earlyData) n += 2;
  return n;
}

/**
 * Writes a {@link ClientOffer} that {@link sizeClientOffer} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putClientOffer(b: Uint8Array, p: number, v: ClientOffer): number {
  // 1 versions
  {
    const versions = v.versions;
    if (versions.length !== 0) {
      b[p++] = 0x0a; // field 1, LEN, packed
      let q = p + 1;
      for (let i = 0; i < versions.length; i++) q = putVarint(b, q, versions[i]);
      p = endLen(b, p, q);
    }
  }
  // 2 cipher_suites
  {
    const cipherSuites = v.cipherSuites;
    if (cipherSuites.length !== 0) {
      b[p++] = 0x12; // field 2, LEN, packed
      let q = p + 1;
      for (let i = 0; i < cipherSuites.length; i++) q = putVarint(b, q, cipherSuites[i]);
      p = endLen(b, p, q);
    }
  }
  // 3 groups
  {
    const groups = v.groups;
    if (groups.length !== 0) {
      b[p++] = 0x1a; // field 3, LEN, packed
      let q = p + 1;
      for (let i = 0; i < groups.length; i++) q = putVarint(b, q, groups[i]);
      p = endLen(b, p, q);
    }
  }
  // 4 server_key_id
  if (v.serverKeyId.length !== 0) {
    b[p++] = 0x22; // field 4, LEN
    p = putBytes(b, p, v.serverKeyId);
  }
  // 5 client_auth
  if (v.clientAuth) {
    b[p++] = 0x28; // field 5, varint
    b[p++] = 1;
  }
  // 6 cookie
  if (v.cookie.length !== 0) {
    b[p++] = 0x32; // field 6, LEN
    p = putBytes(b, p, v.cookie);
  }
  // 7 psk_identity
  if (v.pskIdentity !== undefined) {
    b[p++] = 0x3a; // field 7, LEN
    p = putBytes(b, p, v.pskIdentity);
  }
  // 8 obfuscated_ticket_age
  if (v.obfuscatedTicketAge !== 0) {
    b[p++] = 0x40; // field 8, varint
    p = putVarint(b, p, v.obfuscatedTicketAge);
  }
  // 9 early_data
  if (v.earlyData) {
    b[p++] = 0x48; // field 9, varint
    b[p++] = 1;
  }
  return p;
}

/** Validates a {@link ClientOffer} and writes its canonical encoding (no length prefix) to `w`. */
export function writeClientOffer(w: Writer, v: ClientOffer): void {
  w.bytes(encodeClientOffer(v));
}

/**
 * Decodes a whole {@link ClientOffer}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeClientOffer(bytes: Uint8Array): ClientOffer {
  return readClientOffer(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link ClientOffer} and encodes it canonically into exactly {@link sizeClientOffer} bytes: a view into a shared slab (see alloc).
 */
export function encodeClientOffer(v: ClientOffer): Uint8Array {
  const n = sizeClientOffer(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'client_offer', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putClientOffer(b, 0, v);
  if (end !== n) throw new Error(`encodeClientOffer: wrote ${end} bytes, sizeClientOffer said ${n}`);
  return b;
}

// ───────────────────────────── client_payload ─────────────────────────────

/** The payload of Noise message 1, encrypted to the server's static key. */
export interface ClientPayload {
  /**
   * The client's transport parameters.
   *
   * Field 1 (TransportParameters).
   */
  transportParameters?: TransportParameters;
  /**
   * Application protocols offered, most preferred first.
   *
   * Field 2 (string, 0..255 bytes, at most 16).
   */
  alpn: string[];
}

/** Smallest encoding of a valid {@link ClientPayload}. */
export const CLIENT_PAYLOAD_MIN_SIZE = 0;
/** Largest encoding of a {@link ClientPayload} (at most max_message_size). */
export const CLIENT_PAYLOAD_MAX_SIZE = 4307;

/**
 * Reads a {@link ClientPayload} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readClientPayload(r: Reader): ClientPayload {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'client_payload', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let transportParameters: TransportParameters | undefined = undefined;
  let alpn: string[] = [];
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'client_payload'); p = r.pos; }
    }
    switch (tag) {
      case 0x0a: { // 1 transport_parameters: LEN, the last occurrence wins whole
        r.pos = p;
        const n = r.pbVarint('client_payload.transport_parameters');
        if (n > MAX_MESSAGE_SIZE) outOfRange(r, 'client_payload.transport_parameters', n, 0, MAX_MESSAGE_SIZE, at);
        transportParameters = readTransportParameters(subWithCode(r, n, TRANSPORT_PARAMETER_ERROR, 'client_payload.transport_parameters'));
        p = r.pos;
        break;
      }
      case 0x12: { // 2 alpn: LEN, one element
        r.pos = p;
        const x = readString(r, 'client_payload.alpn', 0, 255, at);
        if (alpn.length === 16) tooMany(r, 'client_payload.alpn', 16, at);
        alpn.push(x);
        p = r.pos;
        break;
      }
      default:
        if (tag < 0x18) badWireType(r, 'client_payload', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'client_payload'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  return { transportParameters, alpn };
}

/** Validates a {@link ClientPayload} (throwing {@link EncodeError}) and returns its exact canonical encoded size. */
export function sizeClientPayload(v: ClientPayload): number {
  let n = 0;
  // 1 transport_parameters
  if (v.transportParameters !== undefined) {
    n += 1 + lenSize(sizeTransportParameters(v.transportParameters));
  }
  // 2 alpn
  {
    const alpn = v.alpn;
    if (!Array.isArray(alpn) || alpn.length > 16) throw countError(alpn, 16, 'client_payload.alpn');
    for (let i = 0; i < alpn.length; i++) {
      const x = alpn[i];
      n += 1 + lenSize(stringBytes(x, 0, 255, 'client_payload.alpn'));
    }
  }
  return n;
}

/**
 * Writes a {@link ClientPayload} that {@link sizeClientPayload} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putClientPayload(b: Uint8Array, p: number, v: ClientPayload): number {
  // 1 transport_parameters
  if (v.transportParameters !== undefined) {
    b[p++] = 0x0a; // field 1, LEN
    p = endLen(b, p, putTransportParameters(b, p + 1, v.transportParameters));
  }
  // 2 alpn
  {
    const alpn = v.alpn;
    for (let i = 0; i < alpn.length; i++) {
      const x = alpn[i];
      b[p++] = 0x12; // field 2, LEN
      p = putString(b, p, x);
    }
  }
  return p;
}

/** Validates a {@link ClientPayload} and writes its canonical encoding (no length prefix) to `w`. */
export function writeClientPayload(w: Writer, v: ClientPayload): void {
  w.bytes(encodeClientPayload(v));
}

/**
 * Decodes a whole {@link ClientPayload}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeClientPayload(bytes: Uint8Array): ClientPayload {
  return readClientPayload(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link ClientPayload} and encodes it canonically into exactly {@link sizeClientPayload} bytes: a view into a shared slab (see alloc).
 */
export function encodeClientPayload(v: ClientPayload): Uint8Array {
  const n = sizeClientPayload(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'client_payload', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putClientPayload(b, 0, v);
  if (end !== n) throw new Error(`encodeClientPayload: wrote ${end} bytes, sizeClientPayload said ${n}`);
  return b;
}

// ───────────────────────────── server_hello ─────────────────────────────

/** The server's handshake message — Noise message 2. */
export interface ServerHello {
  /**
   * Noise message 2 — the server's ephemeral key, the ML-KEM ciphertext (hybrid), and the encrypted ServerPayload.
   *
   * Field 1 (bytes, 32..4096 bytes).
   */
  noise: Uint8Array;
}

/** Smallest encoding of a valid {@link ServerHello}. */
export const SERVER_HELLO_MIN_SIZE = 34;
/** Largest encoding of a {@link ServerHello} (at most max_message_size). */
export const SERVER_HELLO_MAX_SIZE = 4099;

/**
 * Reads a {@link ServerHello} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readServerHello(r: Reader): ServerHello {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'server_hello', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let noise: Uint8Array = EMPTY;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'server_hello'); p = r.pos; }
    }
    switch (tag) {
      case 0x0a: { // 1 noise: LEN
        r.pos = p;
        noise = readBytes(r, 'server_hello.noise', 32, 4096, at);
        p = r.pos;
        break;
      }
      default:
        if (tag < 0x10) badWireType(r, 'server_hello', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'server_hello'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  if (noise.length === 0) r.fail('out_of_range', 'server_hello.noise', 'absent (so empty), needs 32..4096 bytes', r.end);
  return { noise };
}

/** Validates a {@link ServerHello} (throwing {@link EncodeError}) and returns its exact canonical encoded size. */
export function sizeServerHello(v: ServerHello): number {
  let n = 0;
  // 1 noise
  checkBytes(v.noise, 32, 4096, 'server_hello.noise');
  if (v.noise.length !== 0) n += 1 + varintSize(v.noise.length) + v.noise.length;
  return n;
}

/**
 * Writes a {@link ServerHello} that {@link sizeServerHello} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putServerHello(b: Uint8Array, p: number, v: ServerHello): number {
  // 1 noise
  if (v.noise.length !== 0) {
    b[p++] = 0x0a; // field 1, LEN
    p = putBytes(b, p, v.noise);
  }
  return p;
}

/** Validates a {@link ServerHello} and writes its canonical encoding (no length prefix) to `w`. */
export function writeServerHello(w: Writer, v: ServerHello): void {
  w.bytes(encodeServerHello(v));
}

/**
 * Decodes a whole {@link ServerHello}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeServerHello(bytes: Uint8Array): ServerHello {
  return readServerHello(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link ServerHello} and encodes it canonically into exactly {@link sizeServerHello} bytes: a view into a shared slab (see alloc).
 */
export function encodeServerHello(v: ServerHello): Uint8Array {
  const n = sizeServerHello(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'server_hello', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putServerHello(b, 0, v);
  if (end !== n) throw new Error(`encodeServerHello: wrote ${end} bytes, sizeServerHello said ${n}`);
  return b;
}

// ───────────────────────────── server_payload ─────────────────────────────

/**
 * The payload of Noise message 2. It repeats what the server used, under encryption, so the
 * client can check nothing was changed on the way (crypto.server-confirms).
 */
export interface ServerPayload {
  /**
   * The version in use.
   *
   * Field 1 (uint32).
   */
  version: number;
  /**
   * The cipher suite in use.
   *
   * Field 2 (CipherSuite, unknown values kept).
   */
  cipherSuite: CipherSuite;
  /**
   * The group in use.
   *
   * Field 3 (KexGroup, unknown values kept).
   */
  group: KexGroup;
  /**
   * The server's transport parameters.
   *
   * Field 4 (TransportParameters).
   */
  transportParameters?: TransportParameters;
  /**
   * The application protocol chosen, empty when none.
   *
   * Field 5 (string, 0..255 bytes).
   */
  alpn: string;
  /**
   * Set when the server resumed from the offered ticket.
   *
   * Field 6 (bool).
   */
  pskAccepted: boolean;
  /**
   * Set when the server accepted the 0-RTT data.
   *
   * Field 7 (bool).
   */
  earlyDataAccepted: boolean;
}

/** Smallest encoding of a valid {@link ServerPayload}. */
export const SERVER_PAYLOAD_MIN_SIZE = 0;
/** Largest encoding of a {@link ServerPayload} (at most max_message_size). */
export const SERVER_PAYLOAD_MAX_SIZE = 459;

/**
 * Reads a {@link ServerPayload} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readServerPayload(r: Reader): ServerPayload {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'server_payload', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let version: number = 0;
  let cipherSuite: CipherSuite = 0;
  let group: KexGroup = 0;
  let transportParameters: TransportParameters | undefined = undefined;
  let alpn: string = '';
  let pskAccepted: boolean = false;
  let earlyDataAccepted: boolean = false;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'server_payload'); p = r.pos; }
    }
    switch (tag) {
      case 0x08: { // 1 version: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('server_payload.version'); p = r.pos; }
        version = x;
        break;
      }
      case 0x10: { // 2 cipher_suite: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('server_payload.cipher_suite'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'server_payload.cipher_suite', x, 0, 0x7fff_ffff, at);
        cipherSuite = x;
        break;
      }
      case 0x18: { // 3 group: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('server_payload.group'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'server_payload.group', x, 0, 0x7fff_ffff, at);
        group = x;
        break;
      }
      case 0x22: { // 4 transport_parameters: LEN, the last occurrence wins whole
        r.pos = p;
        const n = r.pbVarint('server_payload.transport_parameters');
        if (n > MAX_MESSAGE_SIZE) outOfRange(r, 'server_payload.transport_parameters', n, 0, MAX_MESSAGE_SIZE, at);
        transportParameters = readTransportParameters(subWithCode(r, n, TRANSPORT_PARAMETER_ERROR, 'server_payload.transport_parameters'));
        p = r.pos;
        break;
      }
      case 0x2a: { // 5 alpn: LEN
        r.pos = p;
        alpn = readString(r, 'server_payload.alpn', 0, 255, at);
        p = r.pos;
        break;
      }
      case 0x30: { // 6 psk_accepted: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('server_payload.psk_accepted'); p = r.pos; }
        if (x > 1) outOfRange(r, 'server_payload.psk_accepted', x, 0, 1, at);
        pskAccepted = x === 1;
        break;
      }
      case 0x38: { // 7 early_data_accepted: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('server_payload.early_data_accepted'); p = r.pos; }
        if (x > 1) outOfRange(r, 'server_payload.early_data_accepted', x, 0, 1, at);
        earlyDataAccepted = x === 1;
        break;
      }
      default:
        if (tag < 0x40) badWireType(r, 'server_payload', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'server_payload'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  return { version, cipherSuite, group, transportParameters, alpn, pskAccepted, earlyDataAccepted };
}

/** Validates a {@link ServerPayload} (throwing {@link EncodeError}) and returns its exact canonical encoded size. */
export function sizeServerPayload(v: ServerPayload): number {
  let n = 0;
  // 1 version
  if (v.version >>> 0 !== v.version) throw rangeError('server_payload.version', v.version, 0, 0xffff_ffff);
  if (v.version !== 0) n += 1 + varintSize(v.version);
  // 2 cipher_suite
  if (v.cipherSuite >>> 0 !== v.cipherSuite || v.cipherSuite > 0x7fff_ffff) throw rangeError('server_payload.cipher_suite', v.cipherSuite, 0, 0x7fff_ffff);
  if (v.cipherSuite !== 0) n += 1 + varintSize(v.cipherSuite);
  // 3 group
  if (v.group >>> 0 !== v.group || v.group > 0x7fff_ffff) throw rangeError('server_payload.group', v.group, 0, 0x7fff_ffff);
  if (v.group !== 0) n += 1 + varintSize(v.group);
  // 4 transport_parameters
  if (v.transportParameters !== undefined) {
    n += 1 + lenSize(sizeTransportParameters(v.transportParameters));
  }
  // 5 alpn
  const alpnBytes = stringBytes(v.alpn, 0, 255, 'server_payload.alpn');
  if (alpnBytes !== 0) n += 1 + lenSize(alpnBytes);
  // 6 psk_accepted
  if (typeof v.pskAccepted !== 'boolean') throw notBoolean('server_payload.psk_accepted', v.pskAccepted);
  if (v.pskAccepted) n += 2;
  // 7 early_data_accepted
  if (typeof v.earlyDataAccepted !== 'boolean') throw notBoolean('server_payload.early_data_accepted', v.earlyDataAccepted);
  if (v.earlyDataAccepted) n += 2;
  return n;
}

/**
 * Writes a {@link ServerPayload} that {@link sizeServerPayload} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putServerPayload(b: Uint8Array, p: number, v: ServerPayload): number {
  // 1 version
  if (v.version !== 0) {
    b[p++] = 0x08; // field 1, varint
    p = putVarint(b, p, v.version);
  }
  // 2 cipher_suite
  if (v.cipherSuite !== 0) {
    b[p++] = 0x10; // field 2, varint
    p = putVarint(b, p, v.cipherSuite);
  }
  // 3 group
  if (v.group !== 0) {
    b[p++] = 0x18; // field 3, varint
    p = putVarint(b, p, v.group);
  }
  // 4 transport_parameters
  if (v.transportParameters !== undefined) {
    b[p++] = 0x22; // field 4, LEN
    p = endLen(b, p, putTransportParameters(b, p + 1, v.transportParameters));
  }
  // 5 alpn
  if (v.alpn.length !== 0) {
    b[p++] = 0x2a; // field 5, LEN
    p = putString(b, p, v.alpn);
  }
  // 6 psk_accepted
  if (v.pskAccepted) {
    b[p++] = 0x30; // field 6, varint
    b[p++] = 1;
  }
  // 7 early_data_accepted
  if (v.earlyDataAccepted) {
    b[p++] = 0x38; // field 7, varint
    b[p++] = 1;
  }
  return p;
}

/** Validates a {@link ServerPayload} and writes its canonical encoding (no length prefix) to `w`. */
export function writeServerPayload(w: Writer, v: ServerPayload): void {
  w.bytes(encodeServerPayload(v));
}

/**
 * Decodes a whole {@link ServerPayload}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeServerPayload(bytes: Uint8Array): ServerPayload {
  return readServerPayload(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link ServerPayload} and encodes it canonically into exactly {@link sizeServerPayload} bytes: a view into a shared slab (see alloc).
 */
export function encodeServerPayload(v: ServerPayload): Uint8Array {
  const n = sizeServerPayload(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'server_payload', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putServerPayload(b, 0, v);
  if (end !== n) throw new Error(`encodeServerPayload: wrote ${end} bytes, sizeServerPayload said ${n}`);
  return b;
}

// ───────────────────────────── hello_retry_request ─────────────────────────────

/**
 * The server asks the client to start again with a suite and group it supports (one extra
 * round trip). The client's second offer must list exactly that version, suite and group, and
 * echo the cookie (spec/crypto.yaml, hrr_cookie).
 */
export interface HelloRetryRequest {
  /**
   * The version chosen.
   *
   * Field 1 (uint32).
   */
  version: number;
  /**
   * The suite the client must use.
   *
   * Field 2 (CipherSuite, unknown values kept).
   */
  cipherSuite: CipherSuite;
  /**
   * The group the client must use.
   *
   * Field 3 (KexGroup, unknown values kept).
   */
  group: KexGroup;
  /**
   * SHA-256 of the first offer, then the server's HMAC over it and the choice.
   *
   * Field 4 (bytes, exactly 64 bytes).
   */
  cookie: Uint8Array;
}

/** Smallest encoding of a valid {@link HelloRetryRequest}. */
export const HELLO_RETRY_REQUEST_MIN_SIZE = 66;
/** Largest encoding of a {@link HelloRetryRequest} (at most max_message_size). */
export const HELLO_RETRY_REQUEST_MAX_SIZE = 84;

/**
 * Reads a {@link HelloRetryRequest} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readHelloRetryRequest(r: Reader): HelloRetryRequest {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'hello_retry_request', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let version: number = 0;
  let cipherSuite: CipherSuite = 0;
  let group: KexGroup = 0;
  let cookie: Uint8Array = EMPTY;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'hello_retry_request'); p = r.pos; }
    }
    switch (tag) {
      case 0x08: { // 1 version: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('hello_retry_request.version'); p = r.pos; }
        version = x;
        break;
      }
      case 0x10: { // 2 cipher_suite: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('hello_retry_request.cipher_suite'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'hello_retry_request.cipher_suite', x, 0, 0x7fff_ffff, at);
        cipherSuite = x;
        break;
      }
      case 0x18: { // 3 group: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('hello_retry_request.group'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'hello_retry_request.group', x, 0, 0x7fff_ffff, at);
        group = x;
        break;
      }
      case 0x22: { // 4 cookie: LEN
        r.pos = p;
        cookie = readBytes(r, 'hello_retry_request.cookie', 64, 64, at);
        p = r.pos;
        break;
      }
      default:
        if (tag < 0x28) badWireType(r, 'hello_retry_request', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'hello_retry_request'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  if (cookie.length === 0) r.fail('out_of_range', 'hello_retry_request.cookie', 'absent (so empty), needs 64..64 bytes', r.end);
  return { version, cipherSuite, group, cookie };
}

/**
 * Validates a {@link HelloRetryRequest} (throwing {@link EncodeError}) and returns its exact canonical encoded size.
 */
export function sizeHelloRetryRequest(v: HelloRetryRequest): number {
  let n = 0;
  // 1 version
  if (v.version >>> 0 !== v.version) throw rangeError('hello_retry_request.version', v.version, 0, 0xffff_ffff);
  if (v.version !== 0) n += 1 + varintSize(v.version);
  // 2 cipher_suite
  if (v.cipherSuite >>> 0 !== v.cipherSuite || v.cipherSuite > 0x7fff_ffff) throw rangeError('hello_retry_request.cipher_suite', v.cipherSuite, 0, 0x7fff_ffff);
  if (v.cipherSuite !== 0) n += 1 + varintSize(v.cipherSuite);
  // 3 group
  if (v.group >>> 0 !== v.group || v.group > 0x7fff_ffff) throw rangeError('hello_retry_request.group', v.group, 0, 0x7fff_ffff);
  if (v.group !== 0) n += 1 + varintSize(v.group);
  // 4 cookie
  checkBytes(v.cookie, 64, 64, 'hello_retry_request.cookie');
  if (v.cookie.length !== 0) n += 1 + varintSize(v.cookie.length) + v.cookie.length;
  return n;
}

/**
 * Writes a {@link HelloRetryRequest} that {@link sizeHelloRetryRequest} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putHelloRetryRequest(b: Uint8Array, p: number, v: HelloRetryRequest): number {
  // 1 version
  if (v.version !== 0) {
    b[p++] = 0x08; // field 1, varint
    p = putVarint(b, p, v.version);
  }
  // 2 cipher_suite
  if (v.cipherSuite !== 0) {
    b[p++] = 0x10; // field 2, varint
    p = putVarint(b, p, v.cipherSuite);
  }
  // 3 group
  if (v.group !== 0) {
    b[p++] = 0x18; // field 3, varint
    p = putVarint(b, p, v.group);
  }
  // 4 cookie
  if (v.cookie.length !== 0) {
    b[p++] = 0x22; // field 4, LEN
    p = putBytes(b, p, v.cookie);
  }
  return p;
}

/** Validates a {@link HelloRetryRequest} and writes its canonical encoding (no length prefix) to `w`. */
export function writeHelloRetryRequest(w: Writer, v: HelloRetryRequest): void {
  w.bytes(encodeHelloRetryRequest(v));
}

/**
 * Decodes a whole {@link HelloRetryRequest}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeHelloRetryRequest(bytes: Uint8Array): HelloRetryRequest {
  return readHelloRetryRequest(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link HelloRetryRequest} and encodes it canonically into exactly {@link sizeHelloRetryRequest} bytes: a view into a shared slab (see alloc).
 */
export function encodeHelloRetryRequest(v: HelloRetryRequest): Uint8Array {
  const n = sizeHelloRetryRequest(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'hello_retry_request', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putHelloRetryRequest(b, 0, v);
  if (end !== n) throw new Error(`encodeHelloRetryRequest: wrote ${end} bytes, sizeHelloRetryRequest said ${n}`);
  return b;
}

// ───────────────────────────── transport_parameters ─────────────────────────────

/**
 * Limits and settings each endpoint declares in its hello. Absent parameters take their
 * defaults. They are authenticated by the handshake (downgrade protection).
 *
 * Decode errors carry TRANSPORT_PARAMETER_ERROR.
 */
export interface TransportParameters {
  /**
   * Idle timeout in milliseconds; 0 disables it. The connection uses the minimum of both sides' non-zero values.
   *
   * Field 1 (uint64).
   */
  maxIdleTimeoutMs: number;
  /**
   * Largest UDP payload the endpoint will receive; 0 means the default (65527).
   *
   * Field 2 (uint32, 0..65527).
   */
  maxUdpPayloadSize: number;
  /**
   * Initial connection-level flow-control limit in bytes.
   *
   * Field 3 (uint64).
   */
  initialMaxData: number;
  /**
   * Initial limit for bidirectional streams this endpoint opens.
   *
   * Field 4 (uint64).
   */
  initialMaxStreamDataBidiLocal: number;
  /**
   * Initial limit for bidirectional streams the peer opens.
   *
   * Field 5 (uint64).
   */
  initialMaxStreamDataBidiRemote: number;
  /**
   * Initial limit for unidirectional streams the peer opens.
   *
   * Field 6 (uint64).
   */
  initialMaxStreamDataUni: number;
  /**
   * Bidirectional streams the peer may open.
   *
   * Field 7 (uint64, 0..2251799813685248).
   */
  initialMaxStreamsBidi: number;
  /**
   * Unidirectional streams the peer may open.
   *
   * Field 8 (uint64, 0..2251799813685248).
   */
  initialMaxStreamsUni: number;
  /**
   * Exponent for ACK delays (default 3).
   *
   * Field 9 (uint32, 0..20).
   */
  ackDelayExponent?: number;
  /**
   * Longest delay before acknowledging, in milliseconds (default 25).
   *
   * Field 10 (uint32, 0..16383).
   */
  maxAckDelayMs?: number;
  /**
   * Connection IDs the endpoint stores (default 2).
   *
   * Field 11 (uint32, 2..64).
   */
  activeConnectionIdLimit?: number;
  /**
   * Largest DATAGRAM frame the endpoint accepts; 0 disables datagrams.
   *
   * Field 12 (uint32, 0..65527).
   */
  maxDatagramFrameSize: number;
  /**
   * Set when the endpoint does not support migration.
   *
   * Field 13 (bool).
   */
  disableActiveMigration: boolean;
  /**
   * The Source Connection ID of the endpoint's first Initial.
   *
   * Field 14 (bytes, 0..20 bytes).
   */
  initialSourceConnectionId: Uint8Array;
  /**
   * Server only, the DCID of the client's first Initial.
   *
   * Field 15 (bytes, 0..20 bytes).
   */
  originalDestinationConnectionId?: Uint8Array;
  /**
   * Server only, after a Retry, the SCID of that Retry.
   *
   * Field 16 (bytes, 0..20 bytes).
   */
  retrySourceConnectionId?: Uint8Array;
  /**
   * Server only, the stateless reset token of its first connection ID.
   *
   * Field 17 (bytes, exactly 16 bytes).
   */
  statelessResetToken?: Uint8Array;
  /**
   * Interval at which the endpoint sends PING when idle, in milliseconds; 0 disables keep-alive.
   *
   * Field 18 (uint32).
   */
  keepAliveIntervalMs: number;
  /**
   * Set when the endpoint understands STREAM_SKIP.
   *
   * Field 19 (bool).
   */
  partialReliability: boolean;
}

/** Smallest encoding of a valid {@link TransportParameters}. */
export const TRANSPORT_PARAMETERS_MIN_SIZE = 0;
/** Largest encoding of a {@link TransportParameters} (at most max_message_size). */
export const TRANSPORT_PARAMETERS_MAX_SIZE = 176;

/**
 * Reads a {@link TransportParameters} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readTransportParameters(r: Reader): TransportParameters {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'transport_parameters', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let maxIdleTimeoutMs: number = 0;
  let maxUdpPayloadSize: number = 0;
  let initialMaxData: number = 0;
  let initialMaxStreamDataBidiLocal: number = 0;
  let initialMaxStreamDataBidiRemote: number = 0;
  let initialMaxStreamDataUni: number = 0;
  let initialMaxStreamsBidi: number = 0;
  let initialMaxStreamsUni: number = 0;
  let ackDelayExponent: number | undefined = undefined;
  let maxAckDelayMs: number | undefined = undefined;
  let activeConnectionIdLimit: number | undefined = undefined;
  let maxDatagramFrameSize: number = 0;
  let disableActiveMigration: boolean = false;
  let initialSourceConnectionId: Uint8Array = EMPTY;
  let originalDestinationConnectionId: Uint8Array | undefined = undefined;
  let retrySourceConnectionId: Uint8Array | undefined = undefined;
  let statelessResetToken: Uint8Array | undefined = undefined;
  let keepAliveIntervalMs: number = 0;
  let partialReliability: boolean = false;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'transport_parameters'); p = r.pos; }
    }
    switch (tag) {
      case 0x08: { // 1 max_idle_timeout_ms: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.max_idle_timeout_ms'); p = r.pos; }
        maxIdleTimeoutMs = x;
        break;
      }
      case 0x10: { // 2 max_udp_payload_size: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('transport_parameters.max_udp_payload_size'); p = r.pos; }
        if (x > 65527) outOfRange(r, 'transport_parameters.max_udp_payload_size', x, 0, 65527, at);
        maxUdpPayloadSize = x;
        break;
      }
      case 0x18: { // 3 initial_max_data: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.initial_max_data'); p = r.pos; }
        initialMaxData = x;
        break;
      }
      case 0x20: { // 4 initial_max_stream_data_bidi_local: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.initial_max_stream_data_bidi_local'); p = r.pos; }
        initialMaxStreamDataBidiLocal = x;
        break;
      }
      case 0x28: { // 5 initial_max_stream_data_bidi_remote: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.initial_max_stream_data_bidi_remote'); p = r.pos; }
        initialMaxStreamDataBidiRemote = x;
        break;
      }
      case 0x30: { // 6 initial_max_stream_data_uni: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.initial_max_stream_data_uni'); p = r.pos; }
        initialMaxStreamDataUni = x;
        break;
      }
      case 0x38: { // 7 initial_max_streams_bidi: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.initial_max_streams_bidi'); p = r.pos; }
        if (x > 2251799813685248) outOfRange(r, 'transport_parameters.initial_max_streams_bidi', x, 0, 2251799813685248, at);
        initialMaxStreamsBidi = x;
        break;
      }
      case 0x40: { // 8 initial_max_streams_uni: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.initial_max_streams_uni'); p = r.pos; }
        if (x > 2251799813685248) outOfRange(r, 'transport_parameters.initial_max_streams_uni', x, 0, 2251799813685248, at);
        initialMaxStreamsUni = x;
        break;
      }
      case 0x48: { // 9 ack_delay_exponent: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('transport_parameters.ack_delay_exponent'); p = r.pos; }
        if (x > 20) outOfRange(r, 'transport_parameters.ack_delay_exponent', x, 0, 20, at);
        ackDelayExponent = x;
        break;
      }
      case 0x50: { // 10 max_ack_delay_ms: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('transport_parameters.max_ack_delay_ms'); p = r.pos; }
        if (x > 16383) outOfRange(r, 'transport_parameters.max_ack_delay_ms', x, 0, 16383, at);
        maxAckDelayMs = x;
        break;
      }
      case 0x58: { // 11 active_connection_id_limit: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('transport_parameters.active_connection_id_limit'); p = r.pos; }
        if (x < 2 || x > 64) outOfRange(r, 'transport_parameters.active_connection_id_limit', x, 2, 64, at);
        activeConnectionIdLimit = x;
        break;
      }
      case 0x60: { // 12 max_datagram_frame_size: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('transport_parameters.max_datagram_frame_size'); p = r.pos; }
        if (x > 65527) outOfRange(r, 'transport_parameters.max_datagram_frame_size', x, 0, 65527, at);
        maxDatagramFrameSize = x;
        break;
      }
      case 0x68: { // 13 disable_active_migration: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.disable_active_migration'); p = r.pos; }
        if (x > 1) outOfRange(r, 'transport_parameters.disable_active_migration', x, 0, 1, at);
        disableActiveMigration = x === 1;
        break;
      }
      case 0x72: { // 14 initial_source_connection_id: LEN
        r.pos = p;
        initialSourceConnectionId = readBytes(r, 'transport_parameters.initial_source_connection_id', 0, 20, at);
        p = r.pos;
        break;
      }
      case 0x7a: { // 15 original_destination_connection_id: LEN
        r.pos = p;
        originalDestinationConnectionId = readBytes(r, 'transport_parameters.original_destination_connection_id', 0, 20, at);
        p = r.pos;
        break;
      }
      case 0x82: { // 16 retry_source_connection_id: LEN
        r.pos = p;
        retrySourceConnectionId = readBytes(r, 'transport_parameters.retry_source_connection_id', 0, 20, at);
        p = r.pos;
        break;
      }
      case 0x8a: { // 17 stateless_reset_token: LEN
        r.pos = p;
        statelessResetToken = readBytes(r, 'transport_parameters.stateless_reset_token', 16, 16, at);
        p = r.pos;
        break;
      }
      case 0x90: { // 18 keep_alive_interval_ms: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('transport_parameters.keep_alive_interval_ms'); p = r.pos; }
        keepAliveIntervalMs = x;
        break;
      }
      case 0x98: { // 19 partial_reliability: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('transport_parameters.partial_reliability'); p = r.pos; }
        if (x > 1) outOfRange(r, 'transport_parameters.partial_reliability', x, 0, 1, at);
        partialReliability = x === 1;
        break;
      }
      default:
        if (tag < 0xa0) badWireType(r, 'transport_parameters', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'transport_parameters'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  return {
    maxIdleTimeoutMs,
    maxUdpPayloadSize,
    initialMaxData,
    initialMaxStreamDataBidiLocal,
    initialMaxStreamDataBidiRemote,
    initialMaxStreamDataUni,
    initialMaxStreamsBidi,
    initialMaxStreamsUni,
    ackDelayExponent,
    maxAckDelayMs,
    activeConnectionIdLimit,
    maxDatagramFrameSize,
    disableActiveMigration,
    initialSourceConnectionId,
    originalDestinationConnectionId,
    retrySourceConnectionId,
    statelessResetToken,
    keepAliveIntervalMs,
    partialReliability,
  };
}

/**
 * Validates a {@link TransportParameters} (throwing {@link EncodeError}) and returns its exact canonical encoded size.
 */
export function sizeTransportParameters(v: TransportParameters): number {
  let n = 0;
  // 1 max_idle_timeout_ms
  if (!Number.isInteger(v.maxIdleTimeoutMs) || v.maxIdleTimeoutMs < 0 || v.maxIdleTimeoutMs > 0x1f_ffff_ffff_ffff) throw rangeError('transport_parameters.max_idle_timeout_ms', v.maxIdleTimeoutMs, 0, 0x1f_ffff_ffff_ffff);
  if (v.maxIdleTimeoutMs !== 0) n += 1 + varintSize(v.maxIdleTimeoutMs);
  // 2 max_udp_payload_size
  if (v.maxUdpPayloadSize >>> 0 !== v.maxUdpPayloadSize || v.maxUdpPayloadSize > 65527) throw rangeError('transport_parameters.max_udp_payload_size', v.maxUdpPayloadSize, 0, 65527);
  if (v.maxUdpPayloadSize !== 0) n += 1 + varintSize(v.maxUdpPayloadSize);
  // 3 initial_max_data
  if (!Number.isInteger(v.initialMaxData) || v.initialMaxData < 0 || v.initialMaxData > 0x1f_ffff_ffff_ffff) throw rangeError('transport_parameters.initial_max_data', v.initialMaxData, 0, 0x1f_ffff_ffff_ffff);
  if (v.initialMaxData !== 0) n += 1 + varintSize(v.initialMaxData);
  // 4 initial_max_stream_data_bidi_local
  if (!Number.isInteger(v.initialMaxStreamDataBidiLocal) || v.initialMaxStreamDataBidiLocal < 0 || v.initialMaxStreamDataBidiLocal > 0x1f_ffff_ffff_ffff) throw rangeError('transport_parameters.initial_max_stream_data_bidi_local', v.initialMaxStreamDataBidiLocal, 0, 0x1f_ffff_ffff_ffff);
  if (v.initialMaxStreamDataBidiLocal !== 0) n += 1 + varintSize(v.initialMaxStreamDataBidiLocal);
  // 5 initial_max_stream_data_bidi_remote
  if (!Number.isInteger(v.initialMaxStreamDataBidiRemote) || v.initialMaxStreamDataBidiRemote < 0 || v.initialMaxStreamDataBidiRemote > 0x1f_ffff_ffff_ffff) throw rangeError('transport_parameters.initial_max_stream_data_bidi_remote', v.initialMaxStreamDataBidiRemote, 0, 0x1f_ffff_ffff_ffff);
  if (v.initialMaxStreamDataBidiRemote !== 0) n += 1 + varintSize(v.initialMaxStreamDataBidiRemote);
  // 6 initial_max_stream_data_uni
  if (!Number.isInteger(v.initialMaxStreamDataUni) || v.initialMaxStreamDataUni < 0 || v.initialMaxStreamDataUni > 0x1f_ffff_ffff_ffff) throw rangeError('transport_parameters.initial_max_stream_data_uni', v.initialMaxStreamDataUni, 0, 0x1f_ffff_ffff_ffff);
  if (v.initialMaxStreamDataUni !== 0) n += 1 + varintSize(v.initialMaxStreamDataUni);
  // 7 initial_max_streams_bidi
  if (!Number.isInteger(v.initialMaxStreamsBidi) || v.initialMaxStreamsBidi < 0 || v.initialMaxStreamsBidi > 2251799813685248) throw rangeError('transport_parameters.initial_max_streams_bidi', v.initialMaxStreamsBidi, 0, 2251799813685248);
  if (v.initialMaxStreamsBidi !== 0) n += 1 + varintSize(v.initialMaxStreamsBidi);
  // 8 initial_max_streams_uni
  if (!Number.isInteger(v.initialMaxStreamsUni) || v.initialMaxStreamsUni < 0 || v.initialMaxStreamsUni > 2251799813685248) throw rangeError('transport_parameters.initial_max_streams_uni', v.initialMaxStreamsUni, 0, 2251799813685248);
  if (v.initialMaxStreamsUni !== 0) n += 1 + varintSize(v.initialMaxStreamsUni);
  // 9 ack_delay_exponent
  if (v.ackDelayExponent !== undefined) {
    if (v.ackDelayExponent >>> 0 !== v.ackDelayExponent || v.ackDelayExponent > 20) throw rangeError('transport_parameters.ack_delay_exponent', v.ackDelayExponent, 0, 20);
    n += 2;
  }
  // 10 max_ack_delay_ms
  if (v.maxAckDelayMs !== undefined) {
    if (v.maxAckDelayMs >>> 0 !== v.maxAckDelayMs || v.maxAckDelayMs > 16383) throw rangeError('transport_parameters.max_ack_delay_ms', v.maxAckDelayMs, 0, 16383);
    n += 1 + (v.maxAckDelayMs < 0x80 ? 1 : 2);
  }
  // 11 active_connection_id_limit
  if (v.activeConnectionIdLimit !== undefined) {
    if (v.activeConnectionIdLimit >>> 0 !== v.activeConnectionIdLimit || v.activeConnectionIdLimit > 64 || v.activeConnectionIdLimit < 2) throw rangeError('transport_parameters.active_connection_id_limit', v.activeConnectionIdLimit, 2, 64);
    n += 2;
  }
  // 12 max_datagram_frame_size
  if (v.maxDatagramFrameSize >>> 0 !== v.maxDatagramFrameSize || v.maxDatagramFrameSize > 65527) throw rangeError('transport_parameters.max_datagram_frame_size', v.maxDatagramFrameSize, 0, 65527);
  if (v.maxDatagramFrameSize !== 0) n += 1 + varintSize(v.maxDatagramFrameSize);
  // 13 disable_active_migration
  if (typeof v.disableActiveMigration !== 'boolean') throw notBoolean('transport_parameters.disable_active_migration', v.disableActiveMigration);
  if (v.disableActiveMigration) n += 2;
  // 14 initial_source_connection_id
  checkBytes(v.initialSourceConnectionId, 0, 20, 'transport_parameters.initial_source_connection_id');
  if (v.initialSourceConnectionId.length !== 0) n += 1 + varintSize(v.initialSourceConnectionId.length) + v.initialSourceConnectionId.length;
  // 15 original_destination_connection_id
  if (v.originalDestinationConnectionId !== undefined) {
    checkBytes(v.originalDestinationConnectionId, 0, 20, 'transport_parameters.original_destination_connection_id');
    n += 1 + varintSize(v.originalDestinationConnectionId.length) + v.originalDestinationConnectionId.length;
  }
  // 16 retry_source_connection_id
  if (v.retrySourceConnectionId !== undefined) {
    checkBytes(v.retrySourceConnectionId, 0, 20, 'transport_parameters.retry_source_connection_id');
    n += 2 + varintSize(v.retrySourceConnectionId.length) + v.retrySourceConnectionId.length;
  }
  // 17 stateless_reset_token
  if (v.statelessResetToken !== undefined) {
    checkBytes(v.statelessResetToken, 16, 16, 'transport_parameters.stateless_reset_token');
    n += 2 + varintSize(v.statelessResetToken.length) + v.statelessResetToken.length;
  }
  // 18 keep_alive_interval_ms
  if (v.keepAliveIntervalMs >>> 0 !== v.keepAliveIntervalMs) throw rangeError('transport_parameters.keep_alive_interval_ms', v.keepAliveIntervalMs, 0, 0xffff_ffff);
  if (v.keepAliveIntervalMs !== 0) n += 2 + varintSize(v.keepAliveIntervalMs);
  // 19 partial_reliability
  if (typeof v.partialReliability !== 'boolean') throw notBoolean('transport_parameters.partial_reliability', v.partialReliability);
  if (v.partialReliability) n += 3;
  return n;
}

/**
 * Writes a {@link TransportParameters} that {@link sizeTransportParameters} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putTransportParameters(b: Uint8Array, p: number, v: TransportParameters): number {
  // 1 max_idle_timeout_ms
  if (v.maxIdleTimeoutMs !== 0) {
    b[p++] = 0x08; // field 1, varint
    p = putVarint(b, p, v.maxIdleTimeoutMs);
  }
  // 2 max_udp_payload_size
  if (v.maxUdpPayloadSize !== 0) {
    b[p++] = 0x10; // field 2, varint
    p = putVarint(b, p, v.maxUdpPayloadSize);
  }
  // 3 initial_max_data
  if (v.initialMaxData !== 0) {
    b[p++] = 0x18; // field 3, varint
    p = putVarint(b, p, v.initialMaxData);
  }
  // 4 initial_max_stream_data_bidi_local
  if (v.initialMaxStreamDataBidiLocal !== 0) {
    b[p++] = 0x20; // field 4, varint
    p = putVarint(b, p, v.initialMaxStreamDataBidiLocal);
  }
  // 5 initial_max_stream_data_bidi_remote
  if (v.initialMaxStreamDataBidiRemote !== 0) {
    b[p++] = 0x28; // field 5, varint
    p = putVarint(b, p, v.initialMaxStreamDataBidiRemote);
  }
  // 6 initial_max_stream_data_uni
  if (v.initialMaxStreamDataUni !== 0) {
    b[p++] = 0x30; // field 6, varint
    p = putVarint(b, p, v.initialMaxStreamDataUni);
  }
  // 7 initial_max_streams_bidi
  if (v.initialMaxStreamsBidi !== 0) {
    b[p++] = 0x38; // field 7, varint
    p = putVarint(b, p, v.initialMaxStreamsBidi);
  }
  // 8 initial_max_streams_uni
  if (v.initialMaxStreamsUni !== 0) {
    b[p++] = 0x40; // field 8, varint
    p = putVarint(b, p, v.initialMaxStreamsUni);
  }
  // 9 ack_delay_exponent
  if (v.ackDelayExponent !== undefined) {
    b[p++] = 0x48; // field 9, varint
    b[p++] = v.ackDelayExponent;
  }
  // 10 max_ack_delay_ms
  if (v.maxAckDelayMs !== undefined) {
    b[p++] = 0x50; // field 10, varint
    p = putVarint(b, p, v.maxAckDelayMs);
  }
  // 11 active_connection_id_limit
  if (v.activeConnectionIdLimit !== undefined) {
    b[p++] = 0x58; // field 11, varint
    b[p++] = v.activeConnectionIdLimit;
  }
  // 12 max_datagram_frame_size
  if (v.maxDatagramFrameSize !== 0) {
    b[p++] = 0x60; // field 12, varint
    p = putVarint(b, p, v.maxDatagramFrameSize);
  }
  // 13 disable_active_migration
  if (v.disableActiveMigration) {
    b[p++] = 0x68; // field 13, varint
    b[p++] = 1;
  }
  // 14 initial_source_connection_id
  if (v.initialSourceConnectionId.length !== 0) {
    b[p++] = 0x72; // field 14, LEN
    p = putBytes(b, p, v.initialSourceConnectionId);
  }
  // 15 original_destination_connection_id
  if (v.originalDestinationConnectionId !== undefined) {
    b[p++] = 0x7a; // field 15, LEN
    p = putBytes(b, p, v.originalDestinationConnectionId);
  }
  // 16 retry_source_connection_id
  if (v.retrySourceConnectionId !== undefined) {
    b[p++] = 0x82; b[p++] = 0x01; // field 16, LEN
    p = putBytes(b, p, v.retrySourceConnectionId);
  }
  // 17 stateless_reset_token
  if (v.statelessResetToken !== undefined) {
    b[p++] = 0x8a; b[p++] = 0x01; // field 17, LEN
    p = putBytes(b, p, v.statelessResetToken);
  }
  // 18 keep_alive_interval_ms
  if (v.keepAliveIntervalMs !== 0) {
    b[p++] = 0x90; b[p++] = 0x01; // field 18, varint
    p = putVarint(b, p, v.keepAliveIntervalMs);
  }
  // 19 partial_reliability
  if (v.partialReliability) {
    b[p++] = 0x98; b[p++] = 0x01; // field 19, varint
    b[p++] = 1;
  }
  return p;
}

/** Validates a {@link TransportParameters} and writes its canonical encoding (no length prefix) to `w`. */
export function writeTransportParameters(w: Writer, v: TransportParameters): void {
  w.bytes(encodeTransportParameters(v));
}

/**
 * Decodes a whole {@link TransportParameters}; errors carry TRANSPORT_PARAMETER_ERROR. Input over max_message_size is 'out_of_range'.
 */
export function decodeTransportParameters(bytes: Uint8Array): TransportParameters {
  return readTransportParameters(new Reader(bytes, TRANSPORT_PARAMETER_ERROR));
}

/**
 * Validates a {@link TransportParameters} and encodes it canonically into exactly {@link sizeTransportParameters} bytes: a view into a shared slab (see alloc).
 */
export function encodeTransportParameters(v: TransportParameters): Uint8Array {
  const n = sizeTransportParameters(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'transport_parameters', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putTransportParameters(b, 0, v);
  if (end !== n) throw new Error(`encodeTransportParameters: wrote ${end} bytes, sizeTransportParameters said ${n}`);
  return b;
}

// ───────────────────────────── session_ticket ─────────────────────────────

/**
 * What a ticket holds, before it is encrypted under the server's ticket key. Only the server
 * reads it; its layout is this implementation's, but it is spec'd so that server fleets agree.
 */
export interface SessionTicket {
  /**
   * Version of the original connection.
   *
   * Field 1 (uint32).
   */
  version: number;
  /**
   * Suite of the original connection.
   *
   * Field 2 (CipherSuite, unknown values kept).
   */
  cipherSuite: CipherSuite;
  /**
   * The per-ticket resumption secret.
   *
   * Field 3 (bytes, exactly 32 bytes).
   */
  resumptionSecret: Uint8Array;
  /**
   * When the ticket was issued, in milliseconds since the Unix epoch.
   *
   * Field 4 (uint64).
   */
  createdAtMs: number;
  /**
   * Lifetime in seconds.
   *
   * Field 5 (uint32, 0..604800).
   */
  lifetimeS: number;
  /**
   * The obfuscation value given to the client.
   *
   * Field 6 (uint32).
   */
  ageAdd: number;
  /**
   * Most 0-RTT bytes accepted; 0 disables 0-RTT.
   *
   * Field 7 (uint32).
   */
  maxEarlyData: number;
  /**
   * Application protocol of the original connection.
   *
   * Field 8 (string, 0..255 bytes).
   */
  alpn: string;
  /**
   * Server parameters remembered for 0-RTT.
   *
   * Field 9 (TransportParameters).
   */
  transportParameters?: TransportParameters;
  /**
   * The server key the ticket belongs to.
   *
   * Field 10 (bytes, 0..64 bytes).
   */
  serverIdentity: Uint8Array;
  /**
   * Unique id, for single-use tracking (anti-replay).
   *
   * Field 11 (bytes, exactly 16 bytes).
   */
  ticketId: Uint8Array;
}

/** Smallest encoding of a valid {@link SessionTicket}. */
export const SESSION_TICKET_MIN_SIZE = 52;
/** Largest encoding of a {@link SessionTicket} (at most max_message_size). */
export const SESSION_TICKET_MAX_SIZE = 592;

/**
 * Reads a {@link SessionTicket} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readSessionTicket(r: Reader): SessionTicket {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'session_ticket', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let version: number = 0;
  let cipherSuite: CipherSuite = 0;
  let resumptionSecret: Uint8Array = EMPTY;
  let createdAtMs: number = 0;
  let lifetimeS: number = 0;
  let ageAdd: number = 0;
  let maxEarlyData: number = 0;
  let alpn: string = '';
  let transportParameters: TransportParameters | undefined = undefined;
  let serverIdentity: Uint8Array = EMPTY;
  let ticketId: Uint8Array = EMPTY;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'session_ticket'); p = r.pos; }
    }
    switch (tag) {
      case 0x08: { // 1 version: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('session_ticket.version'); p = r.pos; }
        version = x;
        break;
      }
      case 0x10: { // 2 cipher_suite: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('session_ticket.cipher_suite'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'session_ticket.cipher_suite', x, 0, 0x7fff_ffff, at);
        cipherSuite = x;
        break;
      }
      case 0x1a: { // 3 resumption_secret: LEN
        r.pos = p;
        resumptionSecret = readBytes(r, 'session_ticket.resumption_secret', 32, 32, at);
        p = r.pos;
        break;
      }
      case 0x20: { // 4 created_at_ms: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbVarint('session_ticket.created_at_ms'); p = r.pos; }
        createdAtMs = x;
        break;
      }
      case 0x28: { // 5 lifetime_s: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('session_ticket.lifetime_s'); p = r.pos; }
        if (x > 604800) outOfRange(r, 'session_ticket.lifetime_s', x, 0, 604800, at);
        lifetimeS = x;
        break;
      }
      case 0x30: { // 6 age_add: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('session_ticket.age_add'); p = r.pos; }
        ageAdd = x;
        break;
      }
      case 0x38: { // 7 max_early_data: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('session_ticket.max_early_data'); p = r.pos; }
        maxEarlyData = x;
        break;
      }
      case 0x42: { // 8 alpn: LEN
        r.pos = p;
        alpn = readString(r, 'session_ticket.alpn', 0, 255, at);
        p = r.pos;
        break;
      }
      case 0x4a: { // 9 transport_parameters: LEN, the last occurrence wins whole
        r.pos = p;
        const n = r.pbVarint('session_ticket.transport_parameters');
        if (n > MAX_MESSAGE_SIZE) outOfRange(r, 'session_ticket.transport_parameters', n, 0, MAX_MESSAGE_SIZE, at);
        transportParameters = readTransportParameters(subWithCode(r, n, TRANSPORT_PARAMETER_ERROR, 'session_ticket.transport_parameters'));
        p = r.pos;
        break;
      }
      case 0x52: { // 10 server_identity: LEN
        r.pos = p;
        serverIdentity = readBytes(r, 'session_ticket.server_identity', 0, 64, at);
        p = r.pos;
        break;
      }
      case 0x5a: { // 11 ticket_id: LEN
        r.pos = p;
        ticketId = readBytes(r, 'session_ticket.ticket_id', 16, 16, at);
        p = r.pos;
        break;
      }
      default:
        if (tag < 0x60) badWireType(r, 'session_ticket', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'session_ticket'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  if (resumptionSecret.length === 0) r.fail('out_of_range', 'session_ticket.resumption_secret', 'absent (so empty), needs 32..32 bytes', r.end);
  if (ticketId.length === 0) r.fail('out_of_range', 'session_ticket.ticket_id', 'absent (so empty), needs 16..16 bytes', r.end);
  return {
    version,
    cipherSuite,
    resumptionSecret,
    createdAtMs,
    lifetimeS,
    ageAdd,
    maxEarlyData,
    alpn,
    transportParameters,
    serverIdentity,
    ticketId,
  };
}

/** Validates a {@link SessionTicket} (throwing {@link EncodeError}) and returns its exact canonical encoded size. */
export function sizeSessionTicket(v: SessionTicket): number {
  let n = 0;
  // 1 version
  if (v.version >>> 0 !== v.version) throw rangeError('session_ticket.version', v.version, 0, 0xffff_ffff);
  if (v.version !== 0) n += 1 + varintSize(v.version);
  // 2 cipher_suite
  if (v.cipherSuite >>> 0 !== v.cipherSuite || v.cipherSuite > 0x7fff_ffff) throw rangeError('session_ticket.cipher_suite', v.cipherSuite, 0, 0x7fff_ffff);
  if (v.cipherSuite !== 0) n += 1 + varintSize(v.cipherSuite);
  // 3 resumption_secret
  checkBytes(v.resumptionSecret, 32, 32, 'session_ticket.resumption_secret');
  if (v.resumptionSecret.length !== 0) n += 1 + varintSize(v.resumptionSecret.length) + v.resumptionSecret.length;
  // 4 created_at_ms
  if (!Number.isInteger(v.createdAtMs) || v.createdAtMs < 0 || v.createdAtMs > 0x1f_ffff_ffff_ffff) throw rangeError('session_ticket.created_at_ms', v.createdAtMs, 0, 0x1f_ffff_ffff_ffff);
  if (v.createdAtMs !== 0) n += 1 + varintSize(v.createdAtMs);
  // 5 lifetime_s
  if (v.lifetimeS >>> 0 !== v.lifetimeS || v.lifetimeS > 604800) throw rangeError('session_ticket.lifetime_s', v.lifetimeS, 0, 604800);
  if (v.lifetimeS !== 0) n += 1 + varintSize(v.lifetimeS);
  // 6 age_add
  if (v.ageAdd >>> 0 !== v.ageAdd) throw rangeError('session_ticket.age_add', v.ageAdd, 0, 0xffff_ffff);
  if (v.ageAdd !== 0) n += 1 + varintSize(v.ageAdd);
  // 7 max_early_data
  if (v.maxEarlyData >>> 0 !== v.maxEarlyData) throw rangeError('session_ticket.max_early_data', v.maxEarlyData, 0, 0xffff_ffff);
  if (v.maxEarlyData !== 0) n += 1 + varintSize(v.maxEarlyData);
  // 8 alpn
  const alpnBytes = stringBytes(v.alpn, 0, 255, 'session_ticket.alpn');
  if (alpnBytes !== 0) n += 1 + lenSize(alpnBytes);
  // 9 transport_parameters
  if (v.transportParameters !== undefined) {
    n += 1 + lenSize(sizeTransportParameters(v.transportParameters));
  }
  // 10 server_identity
  checkBytes(v.serverIdentity, 0, 64, 'session_ticket.server_identity');
  if (v.serverIdentity.length !== 0) n += 1 + varintSize(v.serverIdentity.length) + v.serverIdentity.length;
  // 11 ticket_id
  checkBytes(v.ticketId, 16, 16, 'session_ticket.ticket_id');
  if (v.ticketId.length !== 0) n += 1 + varintSize(v.ticketId.length) + v.ticketId.length;
  return n;
}

/**
 * Writes a {@link SessionTicket} that {@link sizeSessionTicket} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putSessionTicket(b: Uint8Array, p: number, v: SessionTicket): number {
  // 1 version
  if (v.version !== 0) {
    b[p++] = 0x08; // field 1, varint
    p = putVarint(b, p, v.version);
  }
  // 2 cipher_suite
  if (v.cipherSuite !== 0) {
    b[p++] = 0x10; // field 2, varint
    p = putVarint(b, p, v.cipherSuite);
  }
  // 3 resumption_secret
  if (v.resumptionSecret.length !== 0) {
    b[p++] = 0x1a; // field 3, LEN
    p = putBytes(b, p, v.resumptionSecret);
  }
  // 4 created_at_ms
  if (v.createdAtMs !== 0) {
    b[p++] = 0x20; // field 4, varint
    p = putVarint(b, p, v.createdAtMs);
  }
  // 5 lifetime_s
  if (v.lifetimeS !== 0) {
    b[p++] = 0x28; // field 5, varint
    p = putVarint(b, p, v.lifetimeS);
  }
  // 6 age_add
  if (v.ageAdd !== 0) {
    b[p++] = 0x30; // field 6, varint
    p = putVarint(b, p, v.ageAdd);
  }
  // 7 max_early_data
  if (v.maxEarlyData !== 0) {
    b[p++] = 0x38; // field 7, varint
    p = putVarint(b, p, v.maxEarlyData);
  }
  // 8 alpn
  if (v.alpn.length !== 0) {
    b[p++] = 0x42; // field 8, LEN
    p = putString(b, p, v.alpn);
  }
  // 9 transport_parameters
  if (v.transportParameters !== undefined) {
    b[p++] = 0x4a; // field 9, LEN
    p = endLen(b, p, putTransportParameters(b, p + 1, v.transportParameters));
  }
  // 10 server_identity
  if (v.serverIdentity.length !== 0) {
    b[p++] = 0x52; // field 10, LEN
    p = putBytes(b, p, v.serverIdentity);
  }
  // 11 ticket_id
  if (v.ticketId.length !== 0) {
    b[p++] = 0x5a; // field 11, LEN
    p = putBytes(b, p, v.ticketId);
  }
  return p;
}

/** Validates a {@link SessionTicket} and writes its canonical encoding (no length prefix) to `w`. */
export function writeSessionTicket(w: Writer, v: SessionTicket): void {
  w.bytes(encodeSessionTicket(v));
}

/**
 * Decodes a whole {@link SessionTicket}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeSessionTicket(bytes: Uint8Array): SessionTicket {
  return readSessionTicket(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link SessionTicket} and encodes it canonically into exactly {@link sizeSessionTicket} bytes: a view into a shared slab (see alloc).
 */
export function encodeSessionTicket(v: SessionTicket): Uint8Array {
  const n = sizeSessionTicket(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'session_ticket', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putSessionTicket(b, 0, v);
  if (end !== n) throw new Error(`encodeSessionTicket: wrote ${end} bytes, sizeSessionTicket said ${n}`);
  return b;
}

// ───────────────────────────── close_reason ─────────────────────────────

/** Why a connection closed, in the reason field of CONNECTION_CLOSE. */
export interface CloseReason {
  /**
   * Human-readable text.
   *
   * Field 1 (string, 0..512 bytes).
   */
  message: string;
  /**
   * Which layer closed.
   *
   * Field 2 (CloseOrigin, unknown values rejected).
   */
  origin: CloseOrigin;
  /**
   * Opaque machine-readable details chosen by the closer.
   *
   * Field 3 (bytes, 0..256 bytes).
   */
  details: Uint8Array;
}

/** Smallest encoding of a valid {@link CloseReason}. */
export const CLOSE_REASON_MIN_SIZE = 0;
/** Largest encoding of a {@link CloseReason} (at most max_message_size). */
export const CLOSE_REASON_MAX_SIZE = 776;

/**
 * Reads a {@link CloseReason} from `r` up to `r.end` (at most max_message_size bytes). Takes any valid protobuf
 * encoding: any field order, packed or unpacked repeated scalars, unknown fields (skipped). A singular field seen
 * twice: the last occurrence wins — whole, for a message (protobuf would merge; JSP decoders agree on this).
 */
export function readCloseReason(r: Reader): CloseReason {
  if (r.end - r.pos > MAX_MESSAGE_SIZE) outOfRange(r, 'close_reason', r.end - r.pos, 0, MAX_MESSAGE_SIZE, r.pos); // bytes
  let message: string = '';
  let origin: CloseOrigin = 0;
  let details: Uint8Array = EMPTY;
  const b = r.buf;
  const end = r.end;
  let p = r.pos;
  while (p < end) {
    const at = p;
    let tag = b[p++];
    if (tag > 0x7f) { // fields 16 and up
      tag = varint32(b, at, end);
      if (tag >= 0) p = next; else { r.pos = at; tag = longTag(r, 'close_reason'); p = r.pos; }
    }
    switch (tag) {
      case 0x0a: { // 1 message: LEN
        r.pos = p;
        message = readString(r, 'close_reason.message', 0, 512, at);
        p = r.pos;
        break;
      }
      case 0x10: { // 2 origin: varint
        let x = varint32(b, p, end);
        if (x >= 0) p = next; else { r.pos = p; x = r.pbUint32('close_reason.origin'); p = r.pos; }
        if (x > 0x7fff_ffff) outOfRange(r, 'close_reason.origin', x, 0, 0x7fff_ffff, at);
        if (x > 2) badEnum(r, 'close_reason.origin', x, at);
        origin = x;
        break;
      }
      case 0x1a: { // 3 details: LEN
        r.pos = p;
        details = readBytes(r, 'close_reason.details', 0, 256, at);
        p = r.pos;
        break;
      }
      default:
        if (tag < 0x20) badWireType(r, 'close_reason', tag, at); // field 0, or a declared field's wrong wire type
        r.pos = p;
        r.pbSkip(tag & 7, 'close_reason'); // an unknown field; groups (3, 4) and 6, 7 are 'wire_type'
        p = r.pos;
    }
  }
  r.pos = p;
  return { message, origin, details };
}

/** Validates a {@link CloseReason} (throwing {@link EncodeError}) and returns its exact canonical encoded size. */
export function sizeCloseReason(v: CloseReason): number {
  let n = 0;
  // 1 message
  const messageBytes = stringBytes(v.message, 0, 512, 'close_reason.message');
  if (messageBytes !== 0) n += 1 + lenSize(messageBytes);
  // 2 origin
  if (v.origin >>> 0 !== v.origin || v.origin > 2) throw new EncodeError('out_of_range', 'close_reason.origin', `${describeValue(v.origin)} is not a CloseOrigin`);
  if (v.origin !== 0) n += 2;
  // 3 details
  checkBytes(v.details, 0, 256, 'close_reason.details');
  if (v.details.length !== 0) n += 1 + varintSize(v.details.length) + v.details.length;
  return n;
}

/**
 * Writes a {@link CloseReason} that {@link sizeCloseReason} validated at `b[p]` (room checked by the caller); returns the end.
 */
function putCloseReason(b: Uint8Array, p: number, v: CloseReason): number {
  // 1 message
  if (v.message.length !== 0) {
    b[p++] = 0x0a; // field 1, LEN
    p = putString(b, p, v.message);
  }
  // 2 origin
  if (v.origin !== 0) {
    b[p++] = 0x10; // field 2, varint
    b[p++] = v.origin;
  }
  // 3 details
  if (v.details.length !== 0) {
    b[p++] = 0x1a; // field 3, LEN
    p = putBytes(b, p, v.details);
  }
  return p;
}

/** Validates a {@link CloseReason} and writes its canonical encoding (no length prefix) to `w`. */
export function writeCloseReason(w: Writer, v: CloseReason): void {
  w.bytes(encodeCloseReason(v));
}

/**
 * Decodes a whole {@link CloseReason}; errors carry PROTOCOL_VIOLATION. Input over max_message_size is 'out_of_range'.
 */
export function decodeCloseReason(bytes: Uint8Array): CloseReason {
  return readCloseReason(new Reader(bytes, PROTOCOL_VIOLATION));
}

/**
 * Validates a {@link CloseReason} and encodes it canonically into exactly {@link sizeCloseReason} bytes: a view into a shared slab (see alloc).
 */
export function encodeCloseReason(v: CloseReason): Uint8Array {
  const n = sizeCloseReason(v);
  if (n > MAX_MESSAGE_SIZE) throw new EncodeError('out_of_range', 'close_reason', `${n} bytes, max_message_size is ${MAX_MESSAGE_SIZE}`);
  const b = alloc(n);
  const end = putCloseReason(b, 0, v);
  if (end !== n) throw new Error(`encodeCloseReason: wrote ${end} bytes, sizeCloseReason said ${n}`);
  return b;
}

// ───────────────────────────── helpers ─────────────────────────────

/**
 * Output buffers are carved from shared 64 KiB slabs, as Node's Buffer pool does: a typed array over more
 * than 64 bytes otherwise needs its own off-heap allocation, microseconds against tens of nanoseconds.
 * Each result is an exact-size view; its `.buffer` is the shared slab (copy before transferring that),
 * and wiping the view (`fill(0)`) wipes the only copy of what was encoded.
 */
function alloc(n: number): Uint8Array {
  if (n > SLAB_SIZE >>> 3) return new Uint8Array(n);
  if (slabUsed + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const b = new Uint8Array(slab, slabUsed, n);
  slabUsed = (slabUsed + n + 7) & ~7;
  return b;
}
const SLAB_SIZE = 0x1_0000;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

function badEnum(r: Reader, what: string, x: number, at: number): never {
  return r.fail('invalid_enum', what, `unknown value ${x}`, at);
}

/** A declared field with a wire type its type does not allow. */
function badWireType(r: Reader, what: string, tag: number, at: number): never {
  return r.fail('wire_type', what, `field ${tag >>> 3} with wire type ${tag & 7} at offset ${at}`, at);
}

function checkBytes(x: Uint8Array, min: number, max: number, what: string): void {
  if (!(x instanceof Uint8Array)) throw new EncodeError('wrong_type', what, `expected Uint8Array, got ${describeValue(x)}`);
  if (x.length < min || x.length > max) throw new EncodeError('length_mismatch', what, `${x.length} bytes, needs ${min}..${max}`);
}

/** The error for a repeated field that is not an array, or is one over its limit. */
function countError(x: unknown, max: number, what: string): EncodeError {
  if (!Array.isArray(x)) return new EncodeError('wrong_type', what, `expected an array, got ${describeValue(x)}`);
  return new EncodeError('out_of_range', what, `${x.length} elements, at most ${max}`);
}

/**
 * A LEN value (nested message, packed run) was written at b[start + 1], after room for a one-byte length, up
 * to `end`: write its length at b[start], first moving the body when the length needs more bytes. Returns the
 * body's end. (The buffer has room: sizeP counted the real prefix.) This spares a second size pass.
 */
function endLen(b: Uint8Array, start: number, end: number): number {
  const n = end - start - 1;
  if (n < 0x80) {
    b[start] = n;
    return end;
  }
  const w = varintSize(n);
  b.copyWithin(start + w, start + 1, end);
  putVarint(b, start, n);
  return end + w - 1;
}

/** Size of a LEN value of n bytes: its length prefix and the bytes. */
function lenSize(n: number): number {
  return varintSize(n) + n;
}

/** A tag of more than one byte that {@link varint32} left to the Reader: above 2^32-1 is 'wire_type'. */
function longTag(r: Reader, what: string): number {
  const at = r.pos;
  const tag = r.pbVarintBig(what); // 'truncated', or 'out_of_range' past 10 bytes / 64 bits
  if (tag > 0xffff_ffffn) r.fail('wire_type', what, `tag ${tag} above 2^32-1 at offset ${at}`, at);
  return Number(tag);
}

function notBoolean(what: string, x: unknown): EncodeError {
  return new EncodeError('wrong_type', what, `expected boolean, got ${describeValue(x)}`);
}

function outOfRange(r: Reader, what: string, x: number | bigint, min: number | bigint, max: number | bigint, at: number): never {
  return r.fail('out_of_range', what, `value ${x} not in ${min}..${max}`, at);
}

/** Writes a LEN value (length, then the bytes) at b[p]; returns the end. Short values by loop: set() costs a native call. */
function putBytes(b: Uint8Array, p: number, x: Uint8Array): number {
  const n = x.length;
  p = putVarint(b, p, n);
  if (n > 32) b.set(x, p);
  else for (let i = 0; i < n; i++) b[p + i] = x[i];
  return p + n;
}

/** Writes a LEN string (validated well-formed) as UTF-8 at b[p]; returns the end. ASCII by loop, the rest by TextEncoder. */
function putString(b: Uint8Array, p: number, x: string): number {
  let q = p + 1;
  for (let i = 0; i < x.length; i++) {
    const c = x.charCodeAt(i);
    if (c >= 0x80) {
      q += utf8Encoder.encodeInto(x.slice(i), b.subarray(q)).written;
      break;
    }
    b[q++] = c;
  }
  return endLen(b, p, q);
}
const utf8Encoder = new TextEncoder();

/** Writes the LEB128 varint of an integer in 0..2^53-1 at b[p]; returns the end. */
function putVarint(b: Uint8Array, p: number, x: number): number {
  while (x > 0xffff_ffff) {
    b[p++] = (x & 0x7f) | 0x80; // ToInt32 keeps the low 7 bits of any safe integer
    x = Math.floor(x / 128);
  }
  while (x > 0x7f) {
    b[p++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  b[p++] = x;
  return p;
}

/** A LEN field's bytes (a zero-copy view); the length is checked against min..max before the input. */
function readBytes(r: Reader, what: string, min: number, max: number, at: number): Uint8Array {
  const n = r.pbVarint(what);
  if (n < min || n > max) r.fail('out_of_range', what, `${n} bytes, needs ${min}..${max}`, at);
  return r.bytes(n, what);
}

/**
 * A LEN field as UTF-8, length-checked in bytes before decoding. Short ASCII is decoded here (a TextDecoder
 * call costs more than the loop); anything else goes to the fatal decoder (invalid UTF-8 is 'invalid_utf8').
 */
function readString(r: Reader, what: string, min: number, max: number, at: number): string {
  const start = r.pos;
  const n = r.pbVarint(what);
  if (n < min || n > max) r.fail('out_of_range', what, `${n} bytes, needs ${min}..${max}`, at);
  if (n <= 64 && n <= r.end - r.pos) {
    const b = r.buf;
    const p = r.pos;
    let s = '';
    let i = 0;
    for (; i < n && b[p + i] < 0x80; i++) s += String.fromCharCode(b[p + i]);
    if (i === n) {
      r.pos = p + n;
      return s;
    }
  }
  r.pos = start;
  return r.pbString(what);
}

/** A Reader over a packed run's rest (b[p..stop)), for a varint the inline path leaves to it. */
function runReader(r: Reader, p: number, stop: number): Reader {
  return new Reader(r.buf, r.errorCode, p, stop);
}

/**
 * Validates a string — well-formed (a lone surrogate has no UTF-8 form, so it could not round-trip), of
 * min..max UTF-8 bytes — and returns its UTF-8 length, in one pass.
 */
function stringBytes(x: string, min: number, max: number, what: string): number {
  if (typeof x !== 'string') throw new EncodeError('wrong_type', what, `expected string, got ${describeValue(x)}`);
  let n = x.length;
  for (let i = 0; i < x.length; i++) {
    const c = x.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0xd800 || c > 0xdfff) n += c < 0x800 ? 1 : 2;
    else if (c <= 0xdbff && (x.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 2; i++; } // a pair: 4 bytes
    else throw new EncodeError('wrong_type', what, `lone surrogate at index ${i}`);
  }
  if (n < min || n > max) throw new EncodeError('length_mismatch', what, `${n} UTF-8 bytes, needs ${min}..${max}`);
  return n;
}

/** A reader over the next n bytes for a nested message that carries its own error code. */
function subWithCode(r: Reader, n: number, errorCode: number, what: string): Reader {
  const p = r.pos;
  r.advance(n, what);
  return new Reader(r.buf, errorCode, p, p + n);
}

function tooMany(r: Reader, what: string, max: number, at: number): never {
  return r.fail('too_many', what, `more than ${max} elements`, at);
}

/** Where the last {@link varint32} stopped: its second result, without allocating a pair. */
let next = 0;

/**
 * A LEB128 varint of at most 32 bits at b[p], unrolled, setting {@link next}; -1 when the Reader must decide
 * (the input ends at `end`, more than 5 bytes, or more than 32 bits): it reads the longer forms or reports.
 */
function varint32(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  let c = b[p++];
  let x = c & 0x7f;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  x |= (c & 0x7f) << 7;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  x |= (c & 0x7f) << 14;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  x |= (c & 0x7f) << 21;
  if (c < 0x80) { next = p; return x; }
  if (p === end) return -1;
  c = b[p++];
  if (c > 0x0f) return -1;
  next = p;
  return (x | (c << 28)) >>> 0;
}

/** Bytes of the LEB128 varint of an integer in 0..2^53-1 (compares only: validated before). */
function varintSize(x: number): number {
  return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x20_0000 ? 3 : x < 0x1000_0000 ? 4
    : x < 0x8_0000_0000 ? 5 : x < 0x400_0000_0000 ? 6 : x < 0x2_0000_0000_0000 ? 7 : 8;
}
