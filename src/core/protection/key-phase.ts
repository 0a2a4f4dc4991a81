/**
 * 1-RTT packet protection with key update, replay protection and AEAD usage limits
 * (spec/crypto.yaml `packet_protection.key_update` and `.limits`, requirements `crypto.replay`,
 * `crypto.aead-limit`, `crypto.key-update-early`; RFC 9001 §6 and §6.6).
 *
 * Generations: both directions start at generation 0 and every key update adds one; the key
 * phase bit of a short header is the low bit of the sender's generation. The receive side holds
 * the keys of generation `g` (current), `g + 1` (next, derived in advance so that trying them
 * takes the same time whether or not the packet is an update, RFC 9001 §6.3) and, for a while
 * after an update, `g − 1` (previous, for packets reordered across the change).
 *
 * - **Initiating** ({@link KeyPhases.initiateUpdate}): only once the handshake is confirmed and a
 *   packet sent under the current keys has been acknowledged (`KEY_UPDATE_MIN_PACKETS`), and not
 *   while an update of ours is unanswered. The send keys move to `g + 1`; the receive keys move
 *   when the peer's first packet of the new phase opens.
 * - **Responding**: a packet with the other phase bit and a packet number above the smallest one
 *   that opened under the current keys is tried with the next keys; if it opens, the receiver
 *   switches, and moves its send keys too when they are behind. If not, it is discarded (and
 *   counted as a failed open).
 * - **Previous keys** open packets of the other phase bit numbered below that smallest packet
 *   number, until the deadline `now + previousKeyRetention` set when the switch happened (the
 *   caller passes about three PTOs, RFC 9001 §6.5, and `now` to every call; no clock is read).
 * - **KEY_UPDATE_ERROR**: a packet that opens under the next keys before the handshake is
 *   confirmed; a packet that opens under the previous keys with a packet number above one that
 *   opened under the current keys (RFC 9001 §6.4).
 * - **AEAD_LIMIT_REACHED**: sealing under one key reaches `confidentialityLimit` and no update
 *   can be started (an update starts by itself from `updateThreshold` on, as soon as one is
 *   allowed); or `integrityLimit` packets have failed to open, over all keys.
 *
 * Errors are sticky: once one is thrown, every later call throws it again.
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { KEY_UPDATE_MIN_PACKETS, type SuiteInfo } from '../../gen/crypto.ts';
import { AeadLimitReachedError, KeyUpdateError, TransportError } from '../../gen/errors.ts';
import { PacketKeys } from './keys.ts';
import { openPayload, removeHeaderProtection, sealPacket, type UnmaskedHeader } from './packet.ts';
import { ReplayWindow, type ReplayVerdict } from './replay.ts';

/** The key phase bit of a short header's first byte. */
const KEY_PHASE_BIT = 0x04;

export interface KeyPhasesOptions {
  readonly provider: CryptoProvider;
  /** The negotiated suite: AEAD, header protection and limits. */
  readonly suite: SuiteInfo;
  /** This endpoint's 1-RTT traffic secret (client_1rtt_secret for a client), copied. */
  readonly sendSecret: Uint8Array;
  /** The peer's 1-RTT traffic secret, copied. */
  readonly receiveSecret: Uint8Array;
  /**
   * How long previous receive keys are kept after the peer's first packet of a new phase
   * opened, in the caller's time unit (RFC 9001 §6.5: three PTOs). Changeable later with
   * {@link KeyPhases.setPreviousKeyRetention} as the PTO moves.
   */
  readonly previousKeyRetention: number;
  /** Whether the handshake is already confirmed (else call {@link KeyPhases.confirmHandshake}). */
  readonly handshakeConfirmed?: boolean;
  /** Override of the suite's confidentiality limit (packets sealed under one key), for tests. */
  readonly confidentialityLimit?: number | bigint;
  /** Override of the suite's integrity limit (packets failing to open, all keys), for tests. */
  readonly integrityLimit?: number | bigint;
  /**
   * Packets sealed under one key after which an update is started as soon as it is allowed.
   * Default: three quarters of the confidentiality limit, leaving a quarter for the
   * acknowledgement an update waits for.
   */
  readonly updateThreshold?: number;
  /** Replay window size; default the spec's `REPLAY_WINDOW`. */
  readonly replayWindow?: number;
}

/** A packet that opened and was not a replay. */
export interface OpenedOneRtt extends UnmaskedHeader {
  readonly payload: Uint8Array;
  /** The key phase bit of the packet. */
  readonly keyPhase: 0 | 1;
  /** The receive generation whose keys opened it. */
  readonly generation: number;
  /** True when this packet made the receiver switch to the peer's new keys. */
  readonly keyUpdated: boolean;
}

/** Why a packet was discarded (not an error: the connection goes on). */
export type DiscardReason = 'too_short' | 'auth_failed' | Exclude<ReplayVerdict, 'new'>;

/** What {@link KeyPhases.open} made of a packet. */
export type OpenResult = ({ readonly ok: true } & OpenedOneRtt) | { readonly ok: false; readonly reason: DiscardReason };

const limitOf = (v: number | bigint, name: string): number => {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (!(n >= 1) || !Number.isFinite(n)) throw new RangeError(`KeyPhases: ${name} must be at least 1, got ${String(v)}`);
  return n;
};

/** The 1-RTT packet protection of one connection. See the module comment. */
export class KeyPhases {
  readonly suite: SuiteInfo;
  readonly confidentialityLimit: number;
  readonly integrityLimit: number;
  readonly updateThreshold: number;

  #send: PacketKeys;
  #recv: PacketKeys;
  #recvNext: PacketKeys;
  #recvPrevious: PacketKeys | undefined;
  #previousDeadline: number | undefined;
  #retention: number;
  #confirmed: boolean;
  readonly #replay: ReplayWindow;

  /** Packets sealed under the current send keys. */
  #sealed = 0;
  /** The first packet number sent under the current send keys. */
  #firstSentInPhase: number | undefined;
  /** Acknowledged packets sent under the current send keys. */
  #ackedInPhase = 0;
  /** Smallest packet number that opened under the current receive keys. */
  #minOpenedInPhase: number | undefined;
  #failedOpens = 0;
  #error: TransportError | undefined;

  constructor(o: KeyPhasesOptions) {
    this.suite = o.suite;
    this.confidentialityLimit = limitOf(o.confidentialityLimit ?? o.suite.confidentialityLimit, 'confidentialityLimit');
    this.integrityLimit = limitOf(o.integrityLimit ?? o.suite.integrityLimit, 'integrityLimit');
    this.updateThreshold = o.updateThreshold ?? Math.max(1, this.confidentialityLimit - Math.floor(this.confidentialityLimit / 4));
    if (!Number.isInteger(this.updateThreshold) || this.updateThreshold < 1 || this.updateThreshold > this.confidentialityLimit) {
      throw new RangeError(`KeyPhases: updateThreshold must be an integer in 1..${this.confidentialityLimit}, got ${this.updateThreshold}`);
    }
    this.#retention = checkDuration(o.previousKeyRetention);
    this.#confirmed = o.handshakeConfirmed ?? false;
    this.#replay = new ReplayWindow(o.replayWindow);
    this.#send = PacketKeys.fromSecret(o.provider, o.suite, o.sendSecret);
    this.#recv = PacketKeys.fromSecret(o.provider, o.suite, o.receiveSecret);
    this.#recvNext = this.#recv.next();
  }

  // ───────────────────────────── state ─────────────────────────────

  /** The key phase bit this endpoint sends. */
  get keyPhase(): 0 | 1 {
    return (this.#send.generation & 1) as 0 | 1;
  }
  /** Key updates of the send keys so far. */
  get sendGeneration(): number {
    return this.#send.generation;
  }
  /** Key updates of the receive keys so far. */
  get receiveGeneration(): number {
    return this.#recv.generation;
  }
  /** Packets sealed under the current send keys. */
  get sealedUnderCurrentKeys(): number {
    return this.#sealed;
  }
  /** Packets that failed to open, over every key of the connection. */
  get failedOpens(): number {
    return this.#failedOpens;
  }
  /** The largest packet number received (authenticated, not a replay). */
  get largestReceived(): number | undefined {
    return this.#replay.largest;
  }
  /** Whether previous receive keys are still held. */
  get hasPreviousKeys(): boolean {
    return this.#recvPrevious !== undefined;
  }
  /** The sticky error, once one was thrown. */
  get error(): TransportError | undefined {
    return this.#error;
  }
  get handshakeConfirmed(): boolean {
    return this.#confirmed;
  }

  /** The handshake is confirmed (RFC 9001 §4.1.2): key updates become possible. */
  confirmHandshake(): void {
    this.#confirmed = true;
  }

  /** Sets how long previous receive keys are kept after a switch (about three PTOs). */
  setPreviousKeyRetention(duration: number): void {
    this.#retention = checkDuration(duration);
  }

  /** When the previous receive keys are due to be discarded, if they are held. */
  pollTimeout(): number | undefined {
    return this.#previousDeadline;
  }

  /** Discards the previous receive keys when their deadline has come. */
  handleTimeout(now: number): void {
    if (this.#previousDeadline !== undefined && now >= this.#previousDeadline) {
      this.#recvPrevious?.wipe();
      this.#recvPrevious = undefined;
      this.#previousDeadline = undefined;
    }
  }

  // ───────────────────────────── sending ─────────────────────────────

  /**
   * Whether a key update may start now: the handshake is confirmed, no update of ours is
   * unanswered, and `KEY_UPDATE_MIN_PACKETS` packets sent under the current keys were acknowledged.
   */
  canInitiateUpdate(): boolean {
    return this.#error === undefined && this.#confirmed && this.#send.generation === this.#recv.generation
      && this.#ackedInPhase >= KEY_UPDATE_MIN_PACKETS;
  }

  /** Starts a key update when {@link canInitiateUpdate}; returns whether it did. */
  initiateUpdate(): boolean {
    this.#throwIfClosed();
    if (!this.canInitiateUpdate()) return false;
    this.#advanceSend();
    return true;
  }

  /** Records that the peer acknowledged packet number `pn` (each acknowledged packet once). */
  onPacketAcked(pn: number): void {
    if (this.#firstSentInPhase !== undefined && pn >= this.#firstSentInPhase) this.#ackedInPhase++;
  }

  /**
   * Protects a short-header packet in place (see `sealPacket`): sets its key phase bit, seals it
   * under the current send keys and masks the header. Starts a key update first when the keys
   * have sealed `updateThreshold` packets and an update is allowed; throws
   * `AeadLimitReachedError` when they have sealed `confidentialityLimit` and none is.
   */
  seal(packet: Uint8Array, pnOffset: number, packetNumber: number): Uint8Array {
    this.#throwIfClosed();
    if ((packet[0] & 0x80) !== 0) throw new RangeError('KeyPhases.seal: 1-RTT packets have a short header (first byte bit 7 clear)');
    if (this.#sealed >= this.updateThreshold && this.canInitiateUpdate()) this.#advanceSend();
    if (this.#sealed >= this.confidentialityLimit) {
      this.#fail(new AeadLimitReachedError(
        `${this.#sealed} packets sealed under one key (confidentiality limit ${this.confidentialityLimit}) and no key update is possible`,
      ));
    }
    packet[0] = (packet[0] & ~KEY_PHASE_BIT) | (this.keyPhase << 2);
    sealPacket(this.#send, packet, pnOffset, packetNumber);
    this.#sealed++;
    this.#firstSentInPhase ??= packetNumber;
    return packet;
  }

  /** {@link seal} of `header ‖ payload` into a new buffer (or `out` at `outOffset`). */
  protect(header: Uint8Array, pnOffset: number, packetNumber: number, payload: Uint8Array, out?: Uint8Array, outOffset = 0): Uint8Array {
    const total = header.length + payload.length + this.suite.tagLength;
    const dst = out ?? new Uint8Array(total);
    if (!Number.isInteger(outOffset) || outOffset < 0 || outOffset + total > dst.length) {
      throw new RangeError(`KeyPhases.protect: out has no room for ${total} bytes at ${outOffset}`);
    }
    const packet = dst.subarray(outOffset, outOffset + total);
    packet.set(header);
    packet.set(payload, header.length);
    return this.seal(packet, pnOffset, packetNumber);
  }

  // ───────────────────────────── receiving ─────────────────────────────

  /**
   * Removes header protection, picks the keys by key phase and packet number, opens the payload
   * and filters replays. `packet` (one short-header packet: the rest of the datagram) is not
   * written to. A discarded packet is a result; `KeyUpdateError` and `AeadLimitReachedError` are
   * thrown (and sticky).
   */
  open(now: number, packet: Uint8Array, pnOffset: number): OpenResult {
    this.#throwIfClosed();
    if ((packet[0] & 0x80) !== 0) throw new RangeError('KeyPhases.open: 1-RTT packets have a short header (first byte bit 7 clear)');
    this.handleTimeout(now);
    const h = removeHeaderProtection(this.#recv.hp, packet, pnOffset, this.#replay.largest);
    if (h === null) return { ok: false, reason: 'too_short' };
    const phase = ((h.header[0] & KEY_PHASE_BIT) >>> 2) as 0 | 1;

    let keys: PacketKeys;
    if (phase === (this.#recv.generation & 1)) {
      keys = this.#recv;
    } else if (this.#recvPrevious !== undefined && this.#minOpenedInPhase !== undefined && h.packetNumber < this.#minOpenedInPhase) {
      keys = this.#recvPrevious;
    } else {
      keys = this.#recvNext;
    }
    let payload = openPayload(keys, packet, h);
    if (payload === null) {
      // RFC 9001 §6.4: an old-phase packet numbered above a current-phase one was routed to the
      // next keys; if the previous keys open it, the peer broke the rule.
      if (keys === this.#recvNext && this.#recvPrevious !== undefined && openPayload(this.#recvPrevious, packet, h) !== null) {
        this.#fail(new KeyUpdateError(
          `packet ${h.packetNumber} opened under the previous keys after packet ${this.#minOpenedInPhase} opened under the current ones`,
        ));
      }
      this.#failedOpens++;
      if (this.#failedOpens >= this.integrityLimit) {
        this.#fail(new AeadLimitReachedError(`${this.#failedOpens} packets failed authentication (integrity limit ${this.integrityLimit})`));
      }
      return { ok: false, reason: 'auth_failed' };
    }

    const verdict = this.#replay.accept(h.packetNumber);
    if (verdict !== 'new') {
      payload.fill(0);
      return { ok: false, reason: verdict };
    }

    let keyUpdated = false;
    if (keys === this.#recvNext) {
      if (!this.#confirmed) {
        payload.fill(0);
        this.#fail(new KeyUpdateError(`key phase changed (packet ${h.packetNumber}) before the handshake was confirmed`));
      }
      this.#advanceReceive(now, h.packetNumber);
      keyUpdated = true;
    } else if (keys === this.#recv && (this.#minOpenedInPhase === undefined || h.packetNumber < this.#minOpenedInPhase)) {
      this.#minOpenedInPhase = h.packetNumber;
    }
    return { ok: true, ...h, payload, keyPhase: phase, generation: keys.generation, keyUpdated };
  }

  // ───────────────────────────── teardown ─────────────────────────────

  /** Wipes every key (the connection is closed or the 1-RTT keys are dropped). Idempotent. */
  wipe(): void {
    this.#recvPrevious?.wipe();
    this.#recvPrevious = undefined;
    this.#previousDeadline = undefined;
    this.#recvNext.wipe();
    this.#recv.wipeAll();
    this.#send.wipeAll();
  }

  // ───────────────────────────── internals ─────────────────────────────

  #advanceSend(): void {
    const next = this.#send.next();
    this.#send.wipe();
    this.#send = next;
    this.#sealed = 0;
    this.#firstSentInPhase = undefined;
    this.#ackedInPhase = 0;
  }

  #advanceReceive(now: number, pn: number): void {
    this.#recvPrevious?.wipe();
    this.#recvPrevious = this.#recv;
    this.#previousDeadline = now + this.#retention;
    this.#recv = this.#recvNext;
    this.#recvNext = this.#recv.next();
    this.#minOpenedInPhase = pn;
    // The peer updated: follow with the send keys when they are behind (RFC 9001 §6.2).
    if (this.#send.generation < this.#recv.generation) this.#advanceSend();
  }

  #fail(e: TransportError): never {
    this.#error = e;
    throw e;
  }

  #throwIfClosed(): void {
    if (this.#error !== undefined) throw this.#error;
  }
}

function checkDuration(d: number): number {
  if (typeof d !== 'number' || !(d >= 0) || !Number.isFinite(d)) throw new RangeError(`KeyPhases: previousKeyRetention must be a finite number ≥ 0, got ${String(d)}`);
  return d;
}
