/**
 * The resumption steps of the key schedule (spec/crypto.yaml): the psk of one ticket, the 0-RTT
 * (early) secret, the resumed 1-RTT secrets (the psk mixed into the final chaining key) and the
 * ticket key with its id. Each function is one named step, with its label and length from the
 * generated tables, so the code and the spec cannot drift apart. The ticket key secret of a
 * rotation period can also be derived from a fleet's root secret.
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { wipe } from '../../crypto/ct.ts';
import { expandLabel } from '../../crypto/expand-label.ts';
import { INITIAL_SALT, LABELS, LENGTHS } from '../../gen/crypto.ts';

/** Step `ticket_psk`: HKDF-Expand-Label(resumption_secret, "ticket psk", ticket_nonce, 32). */
export function ticketPsk(p: CryptoProvider, resumptionSecret: Uint8Array, nonce: Uint8Array): Uint8Array {
  return expandLabel(p, resumptionSecret, LABELS.ticket_psk, nonce, LENGTHS.ticket_psk);
}

/** Step `early_secret`: HKDF-Extract(initial_salt, ticket_psk). */
export function earlySecret(p: CryptoProvider, psk: Uint8Array): Uint8Array {
  return p.hkdfExtract(INITIAL_SALT, psk);
}

/**
 * Step `client_early_secret`: HKDF-Expand-Label(early_secret, "c e traffic", client_hello_hash,
 * 32), where client_hello_hash is SHA-256 of the handshake record body carrying the ClientHello.
 */
export function clientEarlySecret(p: CryptoProvider, psk: Uint8Array, clientHelloRecord: Uint8Array): Uint8Array {
  const early = earlySecret(p, psk);
  const out = expandLabel(p, early, LABELS.client_early_secret, p.sha256(clientHelloRecord), LENGTHS.client_early_secret);
  wipe(early);
  return out;
}

/** The secrets of a resumed connection: `resumed_ck` and the two resumed 1-RTT secrets. */
export interface ResumedSecrets {
  readonly ck: Uint8Array;
  readonly clientSecret: Uint8Array;
  readonly serverSecret: Uint8Array;
}

/**
 * Steps `resumed_ck` = HKDF-Extract(noise ck, ticket_psk), `resumed_client_1rtt_secret` and
 * `resumed_server_1rtt_secret` = HKDF-Expand-Label(resumed_ck, "c 1rtt" / "s 1rtt", h, 32).
 */
export function resumedSecrets(p: CryptoProvider, ck: Uint8Array, h: Uint8Array, psk: Uint8Array): ResumedSecrets {
  const rck = p.hkdfExtract(ck, psk);
  return {
    ck: rck,
    clientSecret: expandLabel(p, rck, LABELS.resumed_client_1rtt_secret, h, LENGTHS.resumed_client_1rtt_secret),
    serverSecret: expandLabel(p, rck, LABELS.resumed_server_1rtt_secret, h, LENGTHS.resumed_server_1rtt_secret),
  };
}

/**
 * Step `period_ticket_key_secret`: HKDF-Expand-Label(ticket_root_secret, "ticket key period",
 * u64be(period), 32) — the ticket_key_secret of rotation period `period` for servers sharing a
 * root secret (crypto.ticket.fleet-keys).
 */
export function periodTicketKeySecret(p: CryptoProvider, root: Uint8Array, period: number): Uint8Array {
  if (!Number.isSafeInteger(period) || period < 0) throw new RangeError(`a ticket key period must be a non-negative integer, got ${period}`);
  const n = new Uint8Array(8);
  new DataView(n.buffer).setBigUint64(0, BigInt(period));
  return expandLabel(p, root, LABELS.period_ticket_key_secret, n, LENGTHS.period_ticket_key_secret);
}

/** Steps `ticket_key` and `ticket_key_id` of one ticket key secret. */
export function ticketKeyMaterial(p: CryptoProvider, secret: Uint8Array): { key: Uint8Array; id: Uint8Array } {
  return {
    key: expandLabel(p, secret, LABELS.ticket_key, new Uint8Array(0), LENGTHS.ticket_key),
    id: expandLabel(p, secret, LABELS.ticket_key_id, new Uint8Array(0), LENGTHS.ticket_key_id),
  };
}
