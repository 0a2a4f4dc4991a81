/**
 * The server's anti-amplification limit (spec/constants.yaml `amplification_factor`,
 * `constants.amplification.limit`; RFC 9000 §8.1): until the client's address is validated, a
 * server sends at most three times the bytes it received from it, so that a spoofed ClientHello
 * cannot turn the server into an amplifier.
 *
 * JSP has no Handshake packet space, so the address is validated by either of:
 * - a **1-RTT packet** from the client that authenticates: its keys come from the server's reply,
 *   which only the owner of the address can have read;
 * - an **Initial packet addressed to the connection ID the server chose** (the Source Connection
 *   ID of its own Initials), which the client also learns only from the server's reply — e.g.
 *   its ACK of the ServerHello, or its second ClientHello after a HelloRetryRequest. A repeated
 *   first ClientHello (to the client's own original DCID) proves nothing and validates nothing.
 *
 * Counting is per connection, in UDP payload bytes (whole datagrams, coalesced packets and
 * padding included; datagrams that do not decrypt count as received, as RFC 9000 §8.1 allows).
 * The server sends a datagram only when the whole of it fits in the allowance (it never builds
 * a shorter one to squeeze in), so a client that goes silent after its 1200-byte ClientHello
 * receives at most 3600 bytes.
 *
 * @module
 */
import { AMPLIFICATION_FACTOR } from '../../gen/constants.ts';

export class AmplificationLimit {
  #received = 0;
  #sent = 0;
  #validated: boolean;

  /** @param validated true for a client (the server's address needs no validation) */
  constructor(validated: boolean) {
    this.#validated = validated;
  }

  /** Whether the peer's address is validated (no limit any more). */
  get validated(): boolean { return this.#validated; }
  /** Bytes received from the peer. */
  get received(): number { return this.#received; }
  /** Bytes sent to the peer. */
  get sent(): number { return this.#sent; }

  /** Bytes that may still be sent (Infinity once validated). */
  get allowance(): number {
    return this.#validated ? Infinity : AMPLIFICATION_FACTOR * this.#received - this.#sent;
  }

  onReceived(bytes: number): void { this.#received += bytes; }
  onSent(bytes: number): void { this.#sent += bytes; }
  validate(): void { this.#validated = true; }
}
