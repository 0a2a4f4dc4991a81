/**
 * Handshake configuration: what each side offers or accepts, and the injected randomness.
 *
 * The handshake is sans-IO: it receives a {@link CryptoProvider} and an `rng` and never touches
 * the clock, sockets or global randomness, so a run is reproducible from its inputs (the
 * conformance vectors rely on it).
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { GROUPS, SUITES, type GroupInfo, type SuiteInfo } from '../../gen/crypto.ts';
import { VERSION_1 } from '../../gen/constants.ts';
import type { TransportParameters } from '../../gen/messages.ts';
import type { ClientTicket } from '../tickets/store.ts';
import type { ServerTickets } from '../tickets/server.ts';
import type { StaticKeySet } from './static-keys.ts';

/** Cipher-suite ids of spec/crypto.yaml, e.g. `'chacha20_poly1305_sha256'`. */
export type SuiteId = SuiteInfo['id'];
/** Key-exchange group ids of spec/crypto.yaml, e.g. `'x25519'`. */
export type GroupId = GroupInfo['id'];

/** Returns `n` random bytes. The handshake draws every ephemeral key from it. */
export type Rng = (n: number) => Uint8Array;

/** Versions this implementation speaks. */
export const SUPPORTED_VERSIONS: readonly number[] = Object.freeze([VERSION_1]);

/** What both sides configure. */
export interface CommonHandshakeConfig {
  readonly provider: CryptoProvider;
  /** Randomness for ephemeral keys (X25519 secrets, ML-KEM seeds and encapsulation). */
  readonly rng: Rng;
  /** Cipher suites, most preferred first (default: every suite of the spec, in spec order). */
  readonly suites?: readonly SuiteId[];
  /** Groups, most preferred first (default: every group of the spec, in spec order). */
  readonly groups?: readonly GroupId[];
  /** Versions, most preferred first (default: {@link SUPPORTED_VERSIONS}). */
  readonly versions?: readonly number[];
  /** Transport parameters this side declares (absent fields take their defaults). */
  readonly transportParameters?: Partial<TransportParameters>;
}

/** The client's configuration. */
export interface ClientHandshakeConfig extends CommonHandshakeConfig {
  /** The server's static X25519 public key, pinned (32 bytes). */
  readonly serverKey: Uint8Array;
  /** The client's static X25519 secret key (32 bytes): authenticates the client (pattern IK). */
  readonly clientKey?: Uint8Array;
  /** Application protocols offered, most preferred first. */
  readonly alpn?: readonly string[];
  /** Resume with a session ticket of this server (spec/crypto.yaml, crypto.ticket.client-store). */
  readonly resumption?: ClientResumption;
}

/** A resumption: the ticket, whether to send 0-RTT, and the wall-clock time of the ClientHello. */
export interface ClientResumption {
  readonly ticket: ClientTicket;
  /** Offer 0-RTT (when the ticket allows it; default true). */
  readonly earlyData?: boolean;
  /** Wall-clock ms now (for the obfuscated ticket age). */
  readonly nowMs: number;
}

/** The server's configuration. */
export interface ServerHandshakeConfig extends CommonHandshakeConfig {
  /**
   * The server's static X25519 secret keys (32 bytes each; a client names one by its key id), or
   * a {@link StaticKeySet} prepared once and shared by all of a server's handshakes (faster).
   */
  readonly staticKeys: readonly Uint8Array[] | StaticKeySet;
  /** Secret for HelloRetryRequest cookies (32 bytes; default: drawn from `rng`). */
  readonly cookieKey?: Uint8Array;
  /** Whether a client must authenticate with a static key (pattern IK); default false. */
  readonly requireClientAuth?: boolean;
  /** Accepts or refuses an authenticating client's static public key; default: accept. */
  readonly authorizeClient?: (publicKey: Uint8Array) => boolean;
  /** Application protocols the server speaks, most preferred first. */
  readonly alpn?: readonly string[];
  /** Session tickets: issuing them, resuming from them, 0-RTT and anti-replay (absent: every ticket is rejected). */
  readonly tickets?: ServerTickets;
}

const SUITE_IDS = new Set<string>(SUITES.map((s) => s.id));
const GROUP_IDS = new Set<string>(GROUPS.map((g) => g.id));

/** The suites of a config, checked: a RangeError names an unknown or repeated id. */
export function configuredSuites(c: CommonHandshakeConfig): readonly SuiteInfo[] {
  return pick('suites', c.suites, SUITE_IDS, (id) => SUITES.find((s) => s.id === id)!) ?? SUITES;
}

/** The groups of a config, checked like {@link configuredSuites}. */
export function configuredGroups(c: CommonHandshakeConfig): readonly GroupInfo[] {
  return pick('groups', c.groups, GROUP_IDS, (id) => GROUPS.find((g) => g.id === id)!) ?? GROUPS;
}

/** The versions of a config, checked: each must be one this implementation speaks. */
export function configuredVersions(c: CommonHandshakeConfig): readonly number[] {
  const v = c.versions ?? SUPPORTED_VERSIONS;
  if (v.length === 0) throw new RangeError('handshake config: versions must not be empty');
  for (const x of v) {
    if (!SUPPORTED_VERSIONS.includes(x)) throw new RangeError(`handshake config: unsupported version 0x${x.toString(16)} (supported: ${SUPPORTED_VERSIONS.map((s) => '0x' + s.toString(16)).join(', ')})`);
  }
  return v;
}

function pick<T>(what: string, ids: readonly string[] | undefined, known: Set<string>, get: (id: string) => T): readonly T[] | undefined {
  if (ids === undefined) return undefined;
  if (ids.length === 0) throw new RangeError(`handshake config: ${what} must not be empty`);
  const seen = new Set<string>();
  for (const id of ids) {
    if (!known.has(id)) throw new RangeError(`handshake config: unknown ${what} entry '${id}' (known: ${[...known].join(', ')})`);
    if (seen.has(id)) throw new RangeError(`handshake config: ${what} lists '${id}' twice`);
    seen.add(id);
  }
  return ids.map(get);
}

/** Throws a TypeError unless `key` is a 32-byte Uint8Array. */
export function check32(what: string, key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TypeError(`handshake config: ${what} must be a 32-byte Uint8Array`);
  }
}
