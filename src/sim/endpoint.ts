/**
 * The interface between the simulator and a sans-IO endpoint, in the style of quinn-proto and
 * h11 (DESIGN.md "Sans-IO core"): the endpoint never reads a clock or touches a socket; the
 * driver — this simulator, or the UDP driver in `src/node` — hands it the time and the bytes,
 * and polls it for what to send and when to wake it next. `src/core/connection`'s `Endpoint`
 * implements it.
 *
 * Time is a float in milliseconds on the driver's clock; in the simulator it starts at 0 and is
 * virtual.
 *
 * @module
 */

/** A network address, opaque to the simulator, e.g. `'10.0.0.1:4433'`. */
export type Address = string;

/** One UDP datagram. */
export interface Datagram {
  /** The sender's address (the simulator routes by it; it need not be the endpoint's own). */
  from: Address;
  to: Address;
  /** The payload. The simulator copies it when it is sent, so the endpoint may reuse the buffer. */
  data: Uint8Array;
  // ECN marks may be added later.
}

/** A sans-IO endpoint that the simulator (or a real UDP driver) can drive. */
export interface SimEndpoint {
  /** The address datagrams to this endpoint are sent to. */
  readonly address: Address;
  /** A datagram arrived at `now`. The endpoint may keep `data` (the simulator will not touch it again). */
  handleDatagram(now: number, from: Address, data: Uint8Array): void;
  /** The next datagram to send at `now`; the driver calls it until it returns `undefined`. */
  pollTransmit(now: number): Datagram | undefined;
  /** The absolute time (ms) at which {@link handleTimeout} must next be called, or `undefined` for none. */
  pollTimeout(): number | undefined;
  /** The time of {@link pollTimeout} has come (`now` ≥ that time). */
  handleTimeout(now: number): void;
}
