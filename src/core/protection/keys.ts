/**
 * Packet keys from traffic secrets (spec/crypto.yaml `schedule`: `packet_key`, `packet_iv`,
 * `header_protection_key`, `next_traffic_secret`, and the Initial secrets from the client's
 * Destination Connection ID).
 *
 * Every label, length and constant comes from the generated `src/gen/crypto.ts`; this module
 * only wires them to HKDF and to the provider's key handles.
 *
 * @module
 */
import { wipe } from '../../crypto/ct.ts';
import { expandLabel } from '../../crypto/expand-label.ts';
import type { AeadKey, CryptoProvider, HeaderProtectionKey } from '../../crypto/provider.ts';
import { MAX_CID_LENGTH } from '../../gen/constants.ts';
import { INITIAL_SALT, INITIAL_SUITE, LABELS, LENGTHS, suiteById, type SuiteInfo } from '../../gen/crypto.ts';
import type { ProtectionKeys } from './packet.ts';

const EMPTY = new Uint8Array(0);

/** The raw key material of one traffic secret (for vectors and tests; the runtime keeps handles). */
export interface KeyMaterial {
  /** `packet_key`: the AEAD key. */
  readonly key: Uint8Array;
  /** `packet_iv`: XORed with the packet number to make the nonce. */
  readonly iv: Uint8Array;
  /** `header_protection_key`. */
  readonly hp: Uint8Array;
}

function checkSecret(secret: unknown, where: string): Uint8Array {
  if (!(secret instanceof Uint8Array)) throw new TypeError(`${where}: secret must be a Uint8Array, got ${secret === null ? 'null' : typeof secret}`);
  if (secret.length !== LENGTHS.next_traffic_secret) {
    throw new RangeError(`${where}: a traffic secret is ${LENGTHS.next_traffic_secret} bytes, got ${secret.length}`);
  }
  return secret;
}

/** key, iv and hp of a traffic secret (spec `packet_key`, `packet_iv`, `header_protection_key`). */
export function deriveKeyMaterial(provider: CryptoProvider, suite: SuiteInfo, secret: Uint8Array): KeyMaterial {
  checkSecret(secret, 'deriveKeyMaterial');
  return {
    key: expandLabel(provider, secret, LABELS.packet_key, EMPTY, suite.keyLength),
    iv: expandLabel(provider, secret, LABELS.packet_iv, EMPTY, suite.ivLength),
    hp: expandLabel(provider, secret, LABELS.header_protection_key, EMPTY, LENGTHS.header_protection_key),
  };
}

/** The traffic secret after a key update (spec `next_traffic_secret`, RFC 9001 §6.1). */
export function nextTrafficSecret(provider: CryptoProvider, secret: Uint8Array): Uint8Array {
  checkSecret(secret, 'nextTrafficSecret');
  return expandLabel(provider, secret, LABELS.next_traffic_secret, EMPTY, LENGTHS.next_traffic_secret);
}

/**
 * The keys of one direction under one traffic secret: the AEAD key and IV of this key phase
 * and the header-protection key, which stays the same for every key update of the direction
 * (spec: "it does not change on key update").
 *
 * Ownership: {@link next} shares `hp` with its successor, so {@link wipe} zeroes what belongs to
 * this generation only (AEAD key, IV, secret); {@link wipeAll} also wipes the shared `hp` —
 * call it on the last generation when the direction's keys are discarded.
 */
export class PacketKeys implements ProtectionKeys {
  readonly suite: SuiteInfo;
  readonly aead: AeadKey;
  readonly iv: Uint8Array;
  readonly hp: HeaderProtectionKey;
  /** Key updates since the first secret of the direction (0 for it). Its low bit is the key phase. */
  readonly generation: number;
  readonly #provider: CryptoProvider;
  #secret: Uint8Array;
  #live = true;

  private constructor(provider: CryptoProvider, suite: SuiteInfo, secret: Uint8Array, hp: HeaderProtectionKey | undefined, generation: number) {
    this.#provider = provider;
    this.suite = suite;
    this.generation = generation;
    this.#secret = secret.slice();
    const m = deriveKeyMaterial(provider, suite, secret);
    try {
      this.aead = provider.aead(suite.aead, m.key);
      this.iv = m.iv;
      this.hp = hp ?? provider.headerProtection(suite.headerProtection, m.hp);
    } finally {
      wipe(m.key, m.hp);
    }
  }

  /** The keys of `secret` (copied: the caller may wipe it) for `suite`. */
  static fromSecret(provider: CryptoProvider, suite: SuiteInfo, secret: Uint8Array): PacketKeys {
    checkSecret(secret, 'PacketKeys.fromSecret');
    return new PacketKeys(provider, suite, secret, undefined, 0);
  }

  /** The traffic secret of the next key phase (a new buffer, the caller's to wipe). */
  nextSecret(): Uint8Array {
    if (!this.#live) throw new TypeError('PacketKeys.nextSecret: the keys were wiped');
    return nextTrafficSecret(this.#provider, this.#secret);
  }

  /** The keys of the next key phase: new AEAD key and IV from `next_traffic_secret`, the same `hp`. */
  next(): PacketKeys {
    const s = this.nextSecret();
    try {
      return new PacketKeys(this.#provider, this.suite, s, this.hp, this.generation + 1);
    } finally {
      wipe(s);
    }
  }

  /** Zeroes this generation's AEAD key, IV and secret (not the shared `hp`). Idempotent. */
  wipe(): void {
    if (!this.#live) return;
    this.#live = false;
    this.aead.wipe();
    wipe(this.iv, this.#secret);
  }

  /** {@link wipe}, and the header-protection key shared by every generation of the direction. */
  wipeAll(): void {
    this.wipe();
    this.hp.wipe();
  }
}

/** The Initial secrets of a client Destination Connection ID, with the intermediate one. */
export interface InitialSecrets {
  /** `initial_secret` = HKDF-Extract(initial_salt, client_dcid). */
  readonly initialSecret: Uint8Array;
  /** `client_initial_secret`. */
  readonly client: Uint8Array;
  /** `server_initial_secret`. */
  readonly server: Uint8Array;
}

/** The Initial secrets of `clientDcid` (spec `initial_secret`, `client_initial_secret`, `server_initial_secret`). */
export function initialSecrets(provider: CryptoProvider, clientDcid: Uint8Array): InitialSecrets {
  if (!(clientDcid instanceof Uint8Array)) throw new TypeError(`initialSecrets: clientDcid must be a Uint8Array, got ${typeof clientDcid}`);
  if (clientDcid.length > MAX_CID_LENGTH) throw new RangeError(`initialSecrets: clientDcid must be at most ${MAX_CID_LENGTH} bytes, got ${clientDcid.length}`);
  const initialSecret = provider.hkdfExtract(INITIAL_SALT, clientDcid);
  return {
    initialSecret,
    client: expandLabel(provider, initialSecret, LABELS.client_initial_secret, EMPTY, LENGTHS.client_initial_secret),
    server: expandLabel(provider, initialSecret, LABELS.server_initial_secret, EMPTY, LENGTHS.server_initial_secret),
  };
}

/** The suite of Initial packets (spec constant `initial_suite`), whatever is negotiated. */
export function initialSuite(): SuiteInfo {
  return suiteById(INITIAL_SUITE);
}

/**
 * The keys protecting Initial packets in each direction, from the Destination Connection ID of
 * the client's first Initial packet. Anyone who sees that DCID can derive them: Initial packets
 * are obfuscated, not secret (spec `initial_secret`).
 */
export function initialKeys(provider: CryptoProvider, clientDcid: Uint8Array): { client: PacketKeys; server: PacketKeys } {
  const s = initialSecrets(provider, clientDcid);
  try {
    const suite = initialSuite();
    return { client: PacketKeys.fromSecret(provider, suite, s.client), server: PacketKeys.fromSecret(provider, suite, s.server) };
  } finally {
    wipe(s.initialSecret, s.client, s.server);
  }
}
