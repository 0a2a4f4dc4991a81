/**
 * Address-validation tokens of Retry packets (spec/protocol.yaml section `address_validation`,
 * `protocol.retry.token`; RFC 9000 §8.1.2–8.1.4). A token is opaque to the client and only this
 * endpoint reads it, so it is sealed and authenticated under the endpoint's token key:
 *
 * ```
 * token     = 0x01 ‖ nonce (12, random) ‖ AES-256-GCM(key, nonce, plaintext, aad "jsp retry token v1")
 * plaintext = issued_at_ms (u64) ‖ u8 len ‖ original_dcid ‖ u8 len ‖ retry_scid ‖ client address (UTF-8)
 * ```
 *
 * Opening checks, in order: the layout and the AEAD (`invalid`), the issue time against the
 * lifetime (`expired`), the address (`wrong_address`), and the caller checks the Initial's DCID
 * against `retryScid`.
 *
 * @module
 */
import { wipe } from '../../crypto/ct.ts';
import type { AeadKey, CryptoProvider } from '../../crypto/provider.ts';
import { MAX_CID_LENGTH, MAX_TOKEN_LENGTH } from '../../gen/constants.ts';

const FORMAT = 0x01;
const NONCE = 12;
const TAG = 16;
const AAD = new TextEncoder().encode('jsp retry token v1');
/** The default lifetime of a Retry token: long enough for a round trip, short against replay. */
export const DEFAULT_TOKEN_LIFETIME_MS = 10_000;

/** What a valid token holds. */
export interface RetryTokenContents { issuedAt: number; originalDcid: Uint8Array; retryScid: Uint8Array; address: string }

/** Why a token was refused. */
export type TokenRefusal = 'invalid' | 'expired' | 'wrong_address';

/** Seals and opens Retry tokens under one key. */
export class RetryTokens {
  readonly #aead: AeadKey;
  readonly #rng: (n: number) => Uint8Array;
  readonly lifetimeMs: number;

  /**
   * @param key the 32-byte token key (share it between the processes of a server fleet)
   * @param lifetimeMs how long a token is accepted after it was issued
   */
  constructor(provider: CryptoProvider, rng: (n: number) => Uint8Array, key: Uint8Array, lifetimeMs = DEFAULT_TOKEN_LIFETIME_MS) {
    if (!(key instanceof Uint8Array) || key.length !== 32) throw new RangeError(`retryToken.key must be 32 bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
    if (!(Number.isFinite(lifetimeMs) && lifetimeMs > 0)) throw new RangeError(`retryToken.lifetimeMs must be a finite number > 0, got ${lifetimeMs}`);
    this.#aead = provider.aead('aes-256-gcm', key);
    this.#rng = rng;
    this.lifetimeMs = lifetimeMs;
  }

  /** A token for `address`, issued at `now`, binding the client's original DCID and the Retry's SCID. */
  seal(now: number, c: { address: string; originalDcid: Uint8Array; retryScid: Uint8Array }): Uint8Array {
    const addr = new TextEncoder().encode(c.address);
    const plain = new Uint8Array(8 + 1 + c.originalDcid.length + 1 + c.retryScid.length + addr.length);
    const v = new DataView(plain.buffer);
    v.setBigUint64(0, BigInt(Math.max(0, Math.floor(now))));
    let at = 8;
    plain[at++] = c.originalDcid.length; plain.set(c.originalDcid, at); at += c.originalDcid.length;
    plain[at++] = c.retryScid.length; plain.set(c.retryScid, at); at += c.retryScid.length;
    plain.set(addr, at);
    const nonce = this.#rng(NONCE);
    const sealed = this.#aead.seal(nonce, plain, AAD);
    const token = new Uint8Array(1 + NONCE + sealed.length);
    token[0] = FORMAT;
    token.set(nonce, 1);
    token.set(sealed, 1 + NONCE);
    if (token.length > MAX_TOKEN_LENGTH) throw new RangeError(`retry token of ${token.length} bytes exceeds max_token_length ${MAX_TOKEN_LENGTH} (address too long?)`);
    wipe(plain);
    return token;
  }

  /** Opens `token` presented at `now` from `address`: its contents, or why it is refused. */
  open(now: number, token: Uint8Array, address: string): { ok: true; contents: RetryTokenContents } | { ok: false; why: TokenRefusal } {
    if (token.length < 1 + NONCE + TAG + 10 || token[0] !== FORMAT) return { ok: false, why: 'invalid' };
    const plain = this.#aead.open(token.subarray(1, 1 + NONCE), token.subarray(1 + NONCE), AAD);
    if (!plain) return { ok: false, why: 'invalid' };
    const contents = parse(plain);
    if (!contents) return { ok: false, why: 'invalid' }; // authentic but malformed: not ours to trust
    if (now < contents.issuedAt || now - contents.issuedAt > this.lifetimeMs) return { ok: false, why: 'expired' };
    if (contents.address !== address) return { ok: false, why: 'wrong_address' };
    return { ok: true, contents };
  }
}

function parse(p: Uint8Array): RetryTokenContents | undefined {
  if (p.length < 10) return undefined;
  const issuedAt = Number(new DataView(p.buffer, p.byteOffset, p.byteLength).getBigUint64(0));
  let at = 8;
  const ol = p[at++];
  if (ol > MAX_CID_LENGTH || at + ol + 1 > p.length) return undefined;
  const originalDcid = p.slice(at, at + ol); at += ol;
  const rl = p[at++];
  if (rl > MAX_CID_LENGTH || at + rl > p.length) return undefined;
  const retryScid = p.slice(at, at + rl); at += rl;
  let address: string;
  try {
    address = new TextDecoder('utf-8', { fatal: true }).decode(p.subarray(at));
  } catch {
    return undefined;
  }
  return { issuedAt, originalDcid, retryScid, address };
}
