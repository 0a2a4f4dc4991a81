// GENERATED from spec/crypto.yaml (sha256 065df193891d9984) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Cryptography — suites, groups, the handshake and the key schedule (spec/crypto.yaml, version 1) — Noise rev 34; Noise HFS (KEM-based hybrid forward secrecy); RFC 5869; RFC 8446 §7.1; RFC 9001 §5–6.
 *
 * The JSP v1 handshake is a Noise handshake (Noise Protocol Framework, revision 34), not a new
 * design: **NK** when only the server is authenticated (the client pins the server's static
 * X25519 key, which `jsp keygen` makes), and **IK** when the client authenticates too. With the
 * hybrid group the same patterns take the HFS tokens `e1`/`ekem1` (**NKhfs**, **IKhfs**), which
 * add an ML-KEM-768 exchange to the X25519 ones. Noise was chosen over the TLS 1.3 key
 * schedule because a pinned raw key needs no certificates, the patterns come with a published
 * analysis of their security properties (Noise §7.7, and the formal analyses by Kobeissi et al.
 * and Girol et al. of every fundamental pattern), and a Noise implementation can be checked
 * against independent test vectors (cacophony and snow), which JSP's runtime reproduces.
 *
 * What NK gives: the server is authenticated by its static key (only the holder of the key can
 * decrypt the client's first payload or produce the second message); forward secrecy for
 * everything after the first message (the ee DH); key confirmation — the client by the
 * server's second message, the server by the client's first authenticated 1-RTT packet; and,
 * because every negotiation byte is bound into the Noise prologue, downgrade protection.
 *
 * The handshake messages travel in HANDSHAKE frames of Initial packets; every packet after the
 * handshake uses the 1-RTT keys derived below, with QUIC's packet and header protection
 * (RFC 9001 §5) and key update (RFC 9001 §6).
 *
 * Packet protection:
 *
 * - Nonce: The 62-bit packet number, big-endian, left-padded with zeros to the IV length, XORed with the IV (RFC 9001 §5.3). The AEAD's associated data is the header, from the first byte to the end of the packet number, as sent (after header protection is removed).
 * - Header protection: RFC 9001 §5.4: the sample is the 16 bytes starting 4 bytes after the first byte of the packet number field (as if it were 4 bytes long); packets too short to sample are discarded. For aes-256-ecb, mask = AES-256-ECB(hp, sample); for chacha20, mask = ChaCha20(hp, counter = sample[0..3] little-endian, nonce = sample[4..15], 5 zero bytes). mask[0] is XORed into the low 4 bits (long header) or 5 bits (short header) of the first byte, mask[1..4] into the packet number bytes.
 * - Key update: RFC 9001 §6. After the handshake is confirmed either side may update: it derives next_traffic_secret for both directions, flips the key phase bit of the packets it sends, and keeps the previous receive keys for three PTOs to open reordered packets. A receiver that sees the other key phase tries the next keys: if they open the packet it switches (and updates its own send keys); if not, the packet is discarded. An endpoint MUST NOT start another update before a packet it sent under the current keys has been acknowledged.
 * - Limits: A sender MUST start a key update before it has sealed confidentiality_limit packets under one key (and close with AEAD_LIMIT_REACHED if it cannot). A receiver counts packets that fail to open under any of its keys; at integrity_limit it MUST close with AEAD_LIMIT_REACHED.
 * - MUST (`crypto.replay`): A receiver MUST discard a packet whose packet number it has already received, or one older than the replay window, after it has been authenticated (RFC 9000 §12.3).
 * - MUST (`crypto.aead-limit`): A receiver MUST close the connection with AEAD_LIMIT_REACHED once integrity_limit packets have failed authentication, counted over all keys of the connection.
 * - MUST (`crypto.key-update-early`): An endpoint MUST treat as KEY_UPDATE_ERROR a key phase change received before the handshake is confirmed, and a packet that opens under the previous keys with a packet number higher than one that opened under the current keys (RFC 9001 §6.4).
 *
 * @module
 */

/**
 * The hash of every suite, for Noise (HASH, HKDF, HMAC) and for HKDF-Expand-Label.
 *
 * SHA-256, 32 bytes.
 */
export const HASH_LENGTH = 32;

/**
 * The hash's name: SHA-256.
 */
export const HASH_NAME = 'SHA-256';

/**
 * HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length),
 * as TLS 1.3 (RFC 8446 §7.1) with the prefix "jsp1 " in place of "tls13 ":
 * HkdfLabel = u16 Length ‖ u8 len(prefix ‖ Label) ‖ prefix ‖ Label ‖ u8 len(Context) ‖ Context.
 * Labels are ASCII, at most 255 bytes with the prefix (250 without); contexts at most 255 bytes.
 */
export const EXPAND_LABEL_PREFIX = 'jsp1 ';

/**
 * prologue = label (26 ASCII bytes, no terminator) ‖ client_hello.offer. The offer is a
 * canonically encoded ClientOffer, carried as bytes so that the prologue is the exact bytes
 * the client sent; the server reads the offer from those same bytes.
 */
export const PROLOGUE_LABEL = 'JetStreamProto v1 prologue';

/**
 * The Noise protocol name of a handshake: the group's pattern (server_auth_pattern, or
 * mutual_auth_pattern when the offer sets client_auth), the group's noise_dh and the suite's
 * noise_cipher. It is hashed into the initial Noise state, so both sides agree on all three.
 *
 * Example: `Noise_NKhfs_25519+MLKEM768_ChaChaPoly_SHA256`. See {@link protocolName}.
 */
export const PROTOCOL_NAME_FORMAT = 'Noise_{pattern}_{dh}_{cipher}_SHA256';

/**
 * The id of a cipher suite (the `cipher_suite` enum of the control messages, by name).
 */
export type SuiteId = 'chacha20_poly1305_sha256' | 'aes_256_gcm_sha256';

/**
 * A cipher suite: its wire value, AEAD, Noise cipher name, header protection, sizes and usage limits.
 */
export interface SuiteInfo {
  readonly id: SuiteId;
  /** Its value in the `cipher_suite` enum. */
  readonly value: number;
  readonly aead: 'chacha20-poly1305' | 'aes-256-gcm';
  /** The cipher's name in the Noise protocol name. */
  readonly noiseCipher: 'ChaChaPoly' | 'AESGCM';
  /** The header-protection mask function (RFC 9001 §5.4). */
  readonly headerProtection: 'chacha20' | 'aes-256-ecb';
  /** AEAD key length in bytes. */
  readonly keyLength: number;
  /** AEAD nonce (IV) length in bytes. */
  readonly ivLength: number;
  /** AEAD tag length in bytes. */
  readonly tagLength: number;
  /** Packets that may be sealed under one key. */
  readonly confidentialityLimit: bigint;
  /** Packets that may fail to open, counted over all keys. */
  readonly integrityLimit: bigint;
}

/**
 * Every cipher suite, in spec order (most preferred first).
 */
export const SUITES: readonly SuiteInfo[] = Object.freeze([
  /**
   * ChaCha20-Poly1305 (RFC 8439). Limits from RFC 9001 §6.6: the confidentiality limit exceeds
   * the packet number space (2^62); the integrity limit is 2^36 forged packets.
   */
  Object.freeze<SuiteInfo>({
    id: 'chacha20_poly1305_sha256', value: 1, aead: 'chacha20-poly1305', noiseCipher: 'ChaChaPoly', headerProtection: 'chacha20',
    keyLength: 32, ivLength: 12, tagLength: 16,
    confidentialityLimit: 4611686018427387904n, integrityLimit: 68719476736n,
  }),
  /**
   * AES-256-GCM (NIST SP 800-38D). Limits from RFC 9001 §6.6: 2^23 packets sealed under one
   * key, 2^52 forged packets.
   */
  Object.freeze<SuiteInfo>({
    id: 'aes_256_gcm_sha256', value: 2, aead: 'aes-256-gcm', noiseCipher: 'AESGCM', headerProtection: 'aes-256-ecb',
    keyLength: 32, ivLength: 12, tagLength: 16,
    confidentialityLimit: 8388608n, integrityLimit: 4503599627370496n,
  }),
]);

/**
 * The suite with this `cipher_suite` value, or undefined for a value JSP does not define.
 */
export function suiteByValue(v: number): SuiteInfo | undefined {
  return SUITES.find((s) => s.value === v);
}

/**
 * The suite with this id.
 */
export function suiteById(id: SuiteId): SuiteInfo {
  return SUITES.find((s) => s.id === id)!;
}

/**
 * The id of a key-exchange group (the `kex_group` enum of the control messages, by name).
 */
export type GroupId = 'x25519' | 'x25519_mlkem768';

/**
 * A key-exchange group: its wire value, Noise DH name and the two Noise patterns.
 */
export interface GroupInfo {
  readonly id: GroupId;
  /** Its value in the `kex_group` enum. */
  readonly value: number;
  /** The DH name in the Noise protocol name. */
  readonly noiseDh: '25519' | '25519+MLKEM768';
  /** The Noise pattern when only the server authenticates. */
  readonly serverAuthPattern: string;
  /** The Noise pattern when the client authenticates too. */
  readonly mutualAuthPattern: string;
}

/**
 * Every key-exchange group, in spec order (most preferred first).
 */
export const GROUPS: readonly GroupInfo[] = Object.freeze([
  /**
   * X25519 (RFC 7748). Noise patterns NK (`<- s` … `-> e, es` / `<- e, ee`) and IK
   * (`-> e, es, s, ss` / `<- e, ee, se`). An all-zero DH result is refused (HANDSHAKE_FAILED).
   */
  Object.freeze<GroupInfo>({ id: 'x25519', value: 1, noiseDh: '25519', serverAuthPattern: 'NK', mutualAuthPattern: 'IK' }),
  /**
   * Hybrid X25519 + ML-KEM-768 (FIPS 203) by the Noise HFS extension: NKhfs is
   * `-> e, es, e1` / `<- e, ee, ekem1` and IKhfs `-> e, es, e1, s, ss` / `<- e, ee, ekem1, se`.
   * The shares are not concatenated into one blob: the client's first message carries its
   * X25519 ephemeral (32 bytes, in clear) and then its ML-KEM-768 encapsulation key (1184
   * bytes, encrypted, +16 tag); the server's carries its X25519 ephemeral and then the
   * ML-KEM-768 ciphertext (1088 bytes, encrypted, +16 tag). The secrets are not concatenated
   * either: each X25519 result and then the ML-KEM shared secret enter the chaining key by
   * its own MixKey, in that order (ee, then ekem1). MixKey is HKDF with the previous
   * chaining key as salt, so every later key depends on all of them — an attacker must break
   * both X25519 and ML-KEM-768 to recover the traffic keys (a KDF combiner, the reason HFS
   * was designed so), and the hash h binds every share, so none can be swapped.
   */
  Object.freeze<GroupInfo>({ id: 'x25519_mlkem768', value: 2, noiseDh: '25519+MLKEM768', serverAuthPattern: 'NKhfs', mutualAuthPattern: 'IKhfs' }),
]);

/**
 * The group with this `kex_group` value, or undefined for a value JSP does not define.
 */
export function groupByValue(v: number): GroupInfo | undefined {
  return GROUPS.find((g) => g.value === v);
}

/**
 * The group with this id.
 */
export function groupById(id: GroupId): GroupInfo {
  return GROUPS.find((g) => g.id === id)!;
}

/**
 * The Noise protocol name of a handshake: the group's pattern (server_auth_pattern, or
 * mutual_auth_pattern when the offer sets client_auth), the group's noise_dh and the suite's
 * noise_cipher. It is hashed into the initial Noise state, so both sides agree on all three.
 *
 * E.g. `protocolName('NKhfs', '25519+MLKEM768', 'ChaChaPoly')` is `Noise_NKhfs_25519+MLKEM768_ChaChaPoly_SHA256`.
 */
export function protocolName(pattern: string, noiseDh: GroupInfo['noiseDh'], noiseCipher: SuiteInfo['noiseCipher']): string {
  return PROTOCOL_NAME_FORMAT.replace('{pattern}', pattern).replace('{dh}', noiseDh).replace('{cipher}', noiseCipher);
}

/**
 * SHA-256 of the ASCII string "JetStreamProto v1 initial salt" (nothing up the sleeve).
 *
 * 32 bytes, `222e70d4987d074125fac47a70b3ef22863ffd3ca58ca483816ac869ac7f9b1f`. Shared and read-only: never write into it; {@link initialSalt} returns a copy you may change.
 */
export const INITIAL_SALT: Uint8Array = new Uint8Array([
  0x22, 0x2e, 0x70, 0xd4, 0x98, 0x7d, 0x07, 0x41, 0x25, 0xfa, 0xc4, 0x7a, 0x70, 0xb3, 0xef, 0x22,
  0x86, 0x3f, 0xfd, 0x3c, 0xa5, 0x8c, 0xa4, 0x83, 0x81, 0x6a, 0xc8, 0x69, 0xac, 0x7f, 0x9b, 0x1f,
]);

/**
 * A fresh copy of {@link INITIAL_SALT}.
 */
export function initialSalt(): Uint8Array {
  return INITIAL_SALT.slice();
}

/** Initial packets are protected with AES-256-GCM and AES header protection, whatever is negotiated. */
export const INITIAL_SUITE: SuiteId = 'aes_256_gcm_sha256';

/** Bytes of SHA-256(server static public key) in client_offer.server_key_id. */
export const SERVER_KEY_ID_LENGTH = 8;

/**
 * Packet numbers a receiver tracks below its largest received one; a packet number already
 * received, or older than the window, is discarded after decryption (duplicate).
 */
export const REPLAY_WINDOW = 4096;

/**
 * An endpoint does not start a second key update until it has received an acknowledgement
 * of a packet sent with the current keys (RFC 9001 §6.1); this is the count of such acks.
 */
export const KEY_UPDATE_MIN_PACKETS = 1;

/**
 * The inputs of the key schedule: values it takes from outside.
 *
 * - `client_dcid`: The Destination Connection ID of the client's first Initial packet.
 * - `noise_handshake`: The completed Noise handshake: its Split() outputs, final chaining key ck and handshake hash h.
 * - `traffic_secret`: Any of the four traffic secrets (client/server × initial/1-RTT), or one after a key update.
 * - `first_offer`: client_hello.offer of the first ClientHello, as the server received it.
 * - `retry_selection`: The version (u32, big-endian), suite (u8) and group (u8) a HelloRetryRequest names: 6 bytes.
 * - `cookie_key`: A 32-byte server secret (random per server process, or shared by a fleet).
 * - `ticket_key_secret`: A 32-byte server ticket key secret (random per rotation, or shared by a fleet so that any of its servers opens any ticket).
 * - `ticket_root_secret`: A 32-byte secret shared by the servers of a fleet (and kept across restarts), from which each rotation period's ticket_key_secret is derived (crypto.ticket.fleet-keys).
 * - `ticket_key_period`: A rotation period's index n = floor(wall-clock ms since the Unix epoch / rotation period ms), as a u64 big-endian: 8 bytes.
 * - `ticket_nonce`: The nonce of a NEW_SESSION_TICKET frame (distinct for each ticket of a connection).
 * - `client_hello_hash`: SHA-256 of the handshake record body (the encoded HandshakeMessage) that carries the ClientHello, as sent.
 */
export type ScheduleInputId = 'client_dcid' | 'noise_handshake' | 'traffic_secret' | 'first_offer' | 'retry_selection' | 'cookie_key' | 'ticket_key_secret' | 'ticket_root_secret' | 'ticket_key_period' | 'ticket_nonce' | 'client_hello_hash';

/**
 * The id of a step of the key schedule.
 */
export type ScheduleStepId = 'initial_secret' | 'client_initial_secret' | 'server_initial_secret' | 'noise_split' | 'client_1rtt_secret' | 'server_1rtt_secret' | 'exporter_secret' | 'resumption_secret' | 'ticket_psk' | 'early_secret' | 'client_early_secret' | 'resumed_ck' | 'resumed_client_1rtt_secret' | 'resumed_server_1rtt_secret' | 'period_ticket_key_secret' | 'ticket_key' | 'ticket_key_id' | 'packet_key' | 'packet_iv' | 'header_protection_key' | 'next_traffic_secret' | 'retry_secret' | 'retry_key' | 'retry_nonce' | 'hrr_cookie';

/** What a schedule step reads. */
export type KeyRef =
  /** An input of the schedule; `part` names a finished Noise handshake's final chaining key or handshake hash. */
  | { readonly kind: 'input'; readonly id: ScheduleInputId; readonly part?: 'ck' | 'h' }
  /** A bytes constant of this module (e.g. {@link INITIAL_SALT}). */
  | { readonly kind: 'constant'; readonly id: string }
  /** The output of an earlier step. */
  | { readonly kind: 'step'; readonly id: ScheduleStepId }
  /** These ASCII bytes. */
  | { readonly kind: 'ascii'; readonly text: string };

interface StepBase {
  readonly id: ScheduleStepId;
  /** Output length in bytes. */
  readonly length: number;
}

/**
 * One step of the key schedule:
 * - `extract`: HKDF-Extract(salt, ikm);
 * - `expand_label`: HKDF-Expand-Label(secret, label, context or empty, length), the label prefixed with {@link EXPAND_LABEL_PREFIX};
 * - `noise`: Split() of a finished Noise handshake, k1 ‖ k2;
 * - `take`: bytes `offset` .. `offset + length` of an earlier step;
 * - `concat_hmac`: H(hashOf) ‖ HMAC(key, prefix ‖ label ‖ H(hashOf) ‖ data).
 */
export type ScheduleStep = StepBase & (
  | { readonly op: 'extract'; readonly salt: KeyRef; readonly ikm: KeyRef }
  | { readonly op: 'expand_label'; readonly secret: KeyRef; readonly label: string; readonly context?: KeyRef }
  | { readonly op: 'noise'; readonly from: KeyRef }
  | { readonly op: 'take'; readonly secret: KeyRef; readonly offset: number }
  | { readonly op: 'concat_hmac'; readonly hashOf: KeyRef; readonly key: KeyRef; readonly data: KeyRef; readonly label: string });

/**
 * The key schedule, step by step in spec order; a step reads only inputs, constants and earlier steps.
 */
export const SCHEDULE: readonly ScheduleStep[] = Object.freeze([
  /** Initial packets are only obfuscated, not secret — anyone who sees the DCID can derive these keys (as QUIC). */
  Object.freeze<ScheduleStep>({ id: 'initial_secret', op: 'extract', salt: { kind: 'constant', id: 'initial_salt' }, ikm: { kind: 'input', id: 'client_dcid' }, length: 32 }),
  /** Protects the client's Initial packets. */
  Object.freeze<ScheduleStep>({ id: 'client_initial_secret', op: 'expand_label', secret: { kind: 'step', id: 'initial_secret' }, label: 'client in', length: 32 }),
  /** Protects the server's Initial packets. */
  Object.freeze<ScheduleStep>({ id: 'server_initial_secret', op: 'expand_label', secret: { kind: 'step', id: 'initial_secret' }, label: 'server in', length: 32 }),
  /**
   * Split() of the finished Noise handshake: (k1, k2) = HKDF(ck, zero-length, 2). JSP uses k1
   * and k2 as traffic secrets (not directly as AEAD keys), so key, IV and header-protection
   * key are derived from them like every other secret.
   */
  Object.freeze<ScheduleStep>({ id: 'noise_split', op: 'noise', from: { kind: 'input', id: 'noise_handshake' }, length: 64 }),
  /** k1, the initiator-to-responder secret. */
  Object.freeze<ScheduleStep>({ id: 'client_1rtt_secret', op: 'take', secret: { kind: 'step', id: 'noise_split' }, offset: 0, length: 32 }),
  /** k2, the responder-to-initiator secret. */
  Object.freeze<ScheduleStep>({ id: 'server_1rtt_secret', op: 'take', secret: { kind: 'step', id: 'noise_split' }, offset: 32, length: 32 }),
  /** For applications that need keying material bound to the connection (channel binding). */
  Object.freeze<ScheduleStep>({ id: 'exporter_secret', op: 'expand_label', secret: { kind: 'input', id: 'noise_handshake', part: 'ck' }, label: 'exporter', context: { kind: 'input', id: 'noise_handshake', part: 'h' }, length: 32 }),
  /**
   * The connection's resumption secret; each ticket carries its own ticket_psk derived from
   * it. In a resumed connection it is derived from resumed_ck in place of noise_handshake.ck.
   */
  Object.freeze<ScheduleStep>({ id: 'resumption_secret', op: 'expand_label', secret: { kind: 'input', id: 'noise_handshake', part: 'ck' }, label: 'resumption', context: { kind: 'input', id: 'noise_handshake', part: 'h' }, length: 32 }),
  /**
   * The pre-shared key of one ticket (RFC 8446 §4.6.1): the server puts it in
   * session_ticket.resumption_secret, the client computes it from the frame's nonce and keeps
   * it with the ticket. Distinct nonces make the tickets of one connection unrelated.
   */
  Object.freeze<ScheduleStep>({ id: 'ticket_psk', op: 'expand_label', secret: { kind: 'step', id: 'resumption_secret' }, label: 'ticket psk', context: { kind: 'input', id: 'ticket_nonce' }, length: 32 }),
  /** The root of the 0-RTT keys of a resumption (RFC 8446 §7.1 Early Secret, with the version's salt). */
  Object.freeze<ScheduleStep>({ id: 'early_secret', op: 'extract', salt: { kind: 'constant', id: 'initial_salt' }, ikm: { kind: 'step', id: 'ticket_psk' }, length: 32 }),
  /**
   * Protects the client's 0-RTT packets (long header type 1), under the ticket's cipher suite;
   * key, IV and header-protection key come from it like from any traffic secret. Bound to the
   * ClientHello as sent, so each resumption attempt (a fresh ephemeral) has its own early key,
   * while a replayed first flight reuses the same one — which is why anti-replay is needed.
   */
  Object.freeze<ScheduleStep>({ id: 'client_early_secret', op: 'expand_label', secret: { kind: 'step', id: 'early_secret' }, label: 'c e traffic', context: { kind: 'input', id: 'client_hello_hash' }, length: 32 }),
  /**
   * MixKey(psk) after the last Noise message: HKDF-Extract with the final chaining key as salt
   * and the ticket's psk as input, used when the server accepted the ticket. The Noise
   * pattern stays NK / IK / NKhfs / IKhfs, so a server that rejects the ticket completes a
   * full handshake in the same round trip (a psk0 pattern would need another one), while a
   * resumed connection's keys depend on both the fresh ephemeral exchange (forward secrecy)
   * and the earlier session.
   */
  Object.freeze<ScheduleStep>({ id: 'resumed_ck', op: 'extract', salt: { kind: 'input', id: 'noise_handshake', part: 'ck' }, ikm: { kind: 'step', id: 'ticket_psk' }, length: 32 }),
  /** The client's 1-RTT secret of a resumed connection (in place of client_1rtt_secret). */
  Object.freeze<ScheduleStep>({ id: 'resumed_client_1rtt_secret', op: 'expand_label', secret: { kind: 'step', id: 'resumed_ck' }, label: 'c 1rtt', context: { kind: 'input', id: 'noise_handshake', part: 'h' }, length: 32 }),
  /** The server's 1-RTT secret of a resumed connection (in place of server_1rtt_secret). */
  Object.freeze<ScheduleStep>({ id: 'resumed_server_1rtt_secret', op: 'expand_label', secret: { kind: 'step', id: 'resumed_ck' }, label: 's 1rtt', context: { kind: 'input', id: 'noise_handshake', part: 'h' }, length: 32 }),
  /**
   * The ticket_key_secret of one rotation period for servers that share a root secret
   * (crypto.ticket.fleet-keys); a server without one draws each ticket_key_secret at random.
   */
  Object.freeze<ScheduleStep>({ id: 'period_ticket_key_secret', op: 'expand_label', secret: { kind: 'input', id: 'ticket_root_secret' }, label: 'ticket key period', context: { kind: 'input', id: 'ticket_key_period' }, length: 32 }),
  /**
   * The AES-256-GCM key that seals tickets (crypto.ticket.encryption). Random 96-bit nonces
   * allow 2^32 tickets per key; rotation keeps every key far below that.
   */
  Object.freeze<ScheduleStep>({ id: 'ticket_key', op: 'expand_label', secret: { kind: 'input', id: 'ticket_key_secret' }, label: 'ticket key', length: 32 }),
  /** The 8 bytes that start every ticket sealed under the key, so the server finds the key (or knows it is gone). */
  Object.freeze<ScheduleStep>({ id: 'ticket_key_id', op: 'expand_label', secret: { kind: 'input', id: 'ticket_key_secret' }, label: 'ticket key id', length: 8 }),
  /** The AEAD key of a traffic secret. */
  Object.freeze<ScheduleStep>({ id: 'packet_key', op: 'expand_label', secret: { kind: 'input', id: 'traffic_secret' }, label: 'key', length: 32 }),
  /** The IV of a traffic secret; the nonce of a packet is iv XOR its packet number. */
  Object.freeze<ScheduleStep>({ id: 'packet_iv', op: 'expand_label', secret: { kind: 'input', id: 'traffic_secret' }, label: 'iv', length: 12 }),
  /** The header-protection key; it does not change on key update. */
  Object.freeze<ScheduleStep>({ id: 'header_protection_key', op: 'expand_label', secret: { kind: 'input', id: 'traffic_secret' }, label: 'hp', length: 32 }),
  /** The secret after a key update (the key phase bit flips); packet_key and packet_iv are derived from it again. */
  Object.freeze<ScheduleStep>({ id: 'next_traffic_secret', op: 'expand_label', secret: { kind: 'input', id: 'traffic_secret' }, label: 'ku', length: 32 }),
  /** Fixed for the version, like QUIC's retry key; the ikm is the 5 ASCII bytes "retry". */
  Object.freeze<ScheduleStep>({ id: 'retry_secret', op: 'extract', salt: { kind: 'constant', id: 'initial_salt' }, ikm: { kind: 'ascii', text: 'retry' }, length: 32 }),
  /** AES-256-GCM key of the Retry integrity tag. */
  Object.freeze<ScheduleStep>({ id: 'retry_key', op: 'expand_label', secret: { kind: 'step', id: 'retry_secret' }, label: 'retry key', length: 32 }),
  /** Nonce of the Retry integrity tag. */
  Object.freeze<ScheduleStep>({ id: 'retry_nonce', op: 'expand_label', secret: { kind: 'step', id: 'retry_secret' }, label: 'retry iv', length: 12 }),
  /**
   * cookie = SHA-256(first_offer) ‖ HMAC-SHA256(cookie_key, "jsp1 hrr" ‖ SHA-256(first_offer) ‖
   * retry_selection). The first half lets the client check that the server saw its offer
   * unchanged; the second lets a server check, even statelessly, that it issued the cookie for
   * that selection.
   */
  Object.freeze<ScheduleStep>({ id: 'hrr_cookie', op: 'concat_hmac', hashOf: { kind: 'input', id: 'first_offer' }, key: { kind: 'input', id: 'cookie_key' }, data: { kind: 'input', id: 'retry_selection' }, label: 'hrr', length: 64 }),
]);

/**
 * The label of every `expand_label` step, by step id (without the prefix {@link EXPAND_LABEL_PREFIX}).
 */
export const LABELS = {
  client_initial_secret: 'client in',
  server_initial_secret: 'server in',
  exporter_secret: 'exporter',
  resumption_secret: 'resumption',
  ticket_psk: 'ticket psk',
  client_early_secret: 'c e traffic',
  resumed_client_1rtt_secret: 'c 1rtt',
  resumed_server_1rtt_secret: 's 1rtt',
  period_ticket_key_secret: 'ticket key period',
  ticket_key: 'ticket key',
  ticket_key_id: 'ticket key id',
  packet_key: 'key',
  packet_iv: 'iv',
  header_protection_key: 'hp',
  next_traffic_secret: 'ku',
  retry_key: 'retry key',
  retry_nonce: 'retry iv',
} as const;

/**
 * The output length in bytes of every step of the schedule, by step id.
 */
export const LENGTHS = {
  initial_secret: 32,
  client_initial_secret: 32,
  server_initial_secret: 32,
  noise_split: 64,
  client_1rtt_secret: 32,
  server_1rtt_secret: 32,
  exporter_secret: 32,
  resumption_secret: 32,
  ticket_psk: 32,
  early_secret: 32,
  client_early_secret: 32,
  resumed_ck: 32,
  resumed_client_1rtt_secret: 32,
  resumed_server_1rtt_secret: 32,
  period_ticket_key_secret: 32,
  ticket_key: 32,
  ticket_key_id: 8,
  packet_key: 32,
  packet_iv: 12,
  header_protection_key: 32,
  next_traffic_secret: 32,
  retry_secret: 32,
  retry_key: 32,
  retry_nonce: 12,
  hrr_cookie: 64,
} as const satisfies Record<ScheduleStepId, number>;

