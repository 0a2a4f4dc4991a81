/**
 * HelloRetryRequest cookies (spec/crypto.yaml, step `hrr_cookie`):
 * `cookie = SHA-256(first_offer) ‖ HMAC-SHA256(cookie_key, "jsp1 hrr" ‖ SHA-256(first_offer) ‖ selection)`,
 * where selection is the version (u32, big-endian), suite (u8) and group (u8) the server names.
 *
 * The first half lets the client check that the server saw its first offer unchanged; the second
 * lets the server check that it issued the cookie for that selection (even if it kept no state).
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { equalBytes } from '../../crypto/ct.ts';

const TAG_LABEL = new TextEncoder().encode('jsp1 hrr');

/** What a HelloRetryRequest names. */
export interface RetrySelection {
  readonly version: number;
  readonly suite: number;
  readonly group: number;
}

function selectionBytes(s: RetrySelection): Uint8Array {
  const b = new Uint8Array(6);
  new DataView(b.buffer).setUint32(0, s.version >>> 0);
  b[4] = s.suite;
  b[5] = s.group;
  return b;
}

/** The 64-byte cookie for `firstOffer` (as received) and `selection`. */
export function makeCookie(p: CryptoProvider, cookieKey: Uint8Array, firstOffer: Uint8Array, selection: RetrySelection): Uint8Array {
  const h1 = p.sha256(firstOffer);
  const tag = p.hmacSha256(cookieKey, TAG_LABEL, h1, selectionBytes(selection));
  const out = new Uint8Array(64);
  out.set(h1);
  out.set(tag, 32);
  return out;
}

/** Whether `cookie` was issued under `cookieKey` for `selection` (constant-time tag check). */
export function verifyCookie(p: CryptoProvider, cookieKey: Uint8Array, cookie: Uint8Array, selection: RetrySelection): boolean {
  if (cookie.length !== 64) return false;
  const tag = p.hmacSha256(cookieKey, TAG_LABEL, cookie.subarray(0, 32), selectionBytes(selection));
  return equalBytes(tag, cookie.subarray(32));
}

/** Whether the cookie's first half is SHA-256 of `offer` (the client's check). */
export function cookieMatchesOffer(p: CryptoProvider, cookie: Uint8Array, offer: Uint8Array): boolean {
  return cookie.length === 64 && equalBytes(p.sha256(offer), cookie.subarray(0, 32));
}
