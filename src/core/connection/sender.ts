/**
 * Packet assembly for one connection (RFC 9000 §12.2, §13.2; RFC 9002 §6.2.4, §7): the next
 * datagram, built when the driver polls for it.
 *
 * - **What may go**: ack-eliciting frames only within the congestion window (a whole datagram
 *   must fit) and when the {@link Pacer} allows; probes (after a PTO) regardless of both; an
 *   ACK-only packet whenever an ACK is due. A server before address validation sends nothing
 *   that its amplification allowance cannot carry whole.
 * - **What goes in**: an Initial packet (while the Initial keys live) and a 1-RTT packet may share
 *   a datagram. Each packet carries an ACK when one is due or when other frames go anyway, then
 *   the space's queued control frames, then (1-RTT) the streams' control and STREAM frames; a
 *   probe with nothing else to say carries a PING. A client pads every datagram with an Initial
 *   packet to 1200 bytes, a server its ack-eliciting ones.
 * - **After**: each packet is recorded with loss recovery (with what its frames attach) and the
 *   pacer; when the sender had nothing to send though the window allowed it, the controller
 *   learns it is application-limited (§7.8).
 *
 * @module
 */
import { MIN_UDP_PAYLOAD_SIZE } from '../../gen/constants.ts';
import type { KeyPhases, PacketKeys } from '../protection/index.ts';
import { Pacer, type LossRecovery } from '../recovery/index.ts';
import type { AmplificationLimit } from './amplification.ts';
import type { PathMtu } from './pmtu.ts';
import { FramePlan, initialOverhead, sealInitial, sealShort, shortOverhead } from './assembler.ts';
import { sealZeroRtt } from './early-data.ts';
import { recoverySpace, type Level, type SentItem, type Space } from './spaces.ts';
import type { ConnectionStreams } from './streams.ts';
import type { TraceEvent } from './trace.ts';

/** The datagram size every path starts with (min_udp_payload_size); path MTU discovery (pmtu.ts) may raise it. */
export const MAX_DATAGRAM = MIN_UDP_PAYLOAD_SIZE;
/** The smallest datagram a client's Initial may travel in (RFC 9000 §14.1). */
export const MIN_INITIAL_DATAGRAM = 1200;
/** Most ranges in one ACK frame we send (older ranges were reported before, or will be). */
const ACK_RANGES_SENT = 32;

/** What the sender reads of its connection. */
export interface SenderContext {
  readonly role: 'client' | 'server';
  readonly recovery: LossRecovery<SentItem>;
  readonly spaces: Record<Level, Space>;
  readonly amp: AmplificationLimit;
  readonly localCid: Uint8Array;
  /** Path MTU discovery: the datagram size in use, and probes (absent: always the base size). */
  readonly pmtu?: PathMtu;
  initialKeys(): PacketKeys | undefined;
  /** The token a client's Initials carry (after a Retry), if any. */
  initialToken?(): Uint8Array | undefined;
  oneRtt(): KeyPhases | undefined;
  /** A resuming client's 0-RTT keys, until the 1-RTT keys exist (then undefined): app-level frames go in 0-RTT packets. */
  earlyKeys?(): PacketKeys | undefined;
  remoteCid(): Uint8Array;
  streams(): ConnectionStreams | undefined;
  /** A 1-RTT probe is due beyond loss recovery's (the client's confirmation probe). */
  confirmProbe(): boolean;
  nextPingSequence(): number;
  /** An ack-eliciting packet went out at `level`. */
  onElicitingSent(now: number, level: Level): void;
  /** The connection's packet observer, if any (trace.ts). */
  readonly trace?: ((e: TraceEvent) => void) | undefined;
}

export class Sender {
  readonly #c: SenderContext;
  readonly #pacer: Pacer;
  #pacerWake: number | undefined;
  #ampLimited = false;

  constructor(now: number, c: SenderContext) {
    this.#c = c;
    this.#pacer = new Pacer(now, this.#pacingInput(), { maxDatagramSize: MAX_DATAGRAM });
  }

  /** When the pacer will let held-back data go (a wake-up for the driver), if it holds some. */
  get pacerWake(): number | undefined { return this.#pacerWake; }
  /** A server at its amplification limit (ACK deadlines cannot be met: no wake-up for them). */
  get amplificationLimited(): boolean { return this.#ampLimited; }

  onTimeout(now: number): void {
    if (this.#pacerWake !== undefined && now >= this.#pacerWake) this.#pacerWake = undefined;
  }

  stop(): void { this.#pacerWake = undefined; }

  /** The next datagram, if anything may and has to be sent now. */
  poll(now: number): Uint8Array | undefined {
    const d = this.#build(now);
    this.updateAmplification(now);
    return d;
  }

  /** A server tells loss recovery when the amplification limit starts or stops holding it back (RFC 9002 §6.2.2.1). */
  updateAmplification(now: number): void {
    if (this.#c.role !== 'server') return;
    const limited = this.#c.amp.allowance < MAX_DATAGRAM;
    if (limited !== this.#ampLimited) {
      this.#ampLimited = limited;
      this.#c.recovery.setAmplificationLimited(now, limited);
    }
  }

  /** The datagram size in use on the path. */
  get maxDatagram(): number { return this.#c.pmtu?.current ?? MAX_DATAGRAM; }

  /** Path MTU discovery raised (or lowered) the datagram size: the pacer counts bursts in it. */
  onMaxDatagramChanged(size: number): void { this.#pacer.setMaxDatagramSize(size); }

  #build(now: number): Uint8Array | undefined {
    const c = this.#c, r = c.recovery;
    const mds = this.maxDatagram;
    if (c.amp.allowance < mds) return undefined;
    const initialKeys = c.initialKeys(), oneRtt = c.oneRtt();
    const early = oneRtt ? undefined : c.earlyKeys?.();
    if (oneRtt && !initialKeys && c.pmtu) {
      const probe = this.#mtuProbe(now, c.pmtu);
      if (probe) return probe;
    }
    const initialProbe = initialKeys !== undefined && r.probesPending('initial') > 0;
    const appProbe = oneRtt !== undefined && (r.probesPending('application') > 0 || c.confirmProbe());
    const windowOpen = r.bytesInFlight + mds <= r.congestion.window();
    let mayElicit = false;
    if (this.#hasWork(initialKeys !== undefined, oneRtt !== undefined || early !== undefined)) {
      if (windowOpen) {
        const at = this.#pacer.nextSendTime(now, mds, this.#pacingInput());
        if (at <= now) mayElicit = true;
        else this.#pacerWake = at;
      }
    } else if (windowOpen) {
      r.onAppLimited(now); // §7.8: the window is not what limits the sender
    }

    const dcid = c.remoteCid();
    let initial: FramePlan | undefined, app: FramePlan | undefined;
    let room = mds;
    if (initialKeys) {
      const overhead = initialOverhead(dcid, c.localCid, c.initialToken?.());
      initial = this.#plan(now, 'initial', room - overhead, mayElicit || initialProbe, initialProbe);
      if (initial) room -= overhead + initial.size;
    }
    const appOverhead = oneRtt ? shortOverhead(dcid) : initialOverhead(dcid, c.localCid); // 0-RTT: a long header, no token
    if ((oneRtt || early) && room > appOverhead + 8) {
      app = this.#plan(now, 'app', room - appOverhead, mayElicit || appProbe, appProbe);
    }
    if (!initial && !app) return undefined;

    const appPacket = app ? this.#seal(now, 'app', app) : undefined;
    let data = appPacket;
    if (initial) {
      const pad = c.role === 'client' || initial.eliciting ? MIN_INITIAL_DATAGRAM - (appPacket?.length ?? 0) : undefined;
      const initialPacket = this.#seal(now, 'initial', initial, pad);
      data = appPacket ? concat(initialPacket, appPacket) : initialPacket;
    }
    c.amp.onSent(data!.length);
    return data;
  }

  /**
   * A path MTU probe when one is due (RFC 9000 §14.4): PING and PADDING to the probed size, alone
   * in its datagram, when the congestion window and the pacer allow a packet, marked so its loss is
   * no congestion signal.
   */
  #mtuProbe(now: number, pmtu: PathMtu): Uint8Array | undefined {
    const size = pmtu.nextProbe(now);
    const r = this.#c.recovery;
    // It goes when a packet of the current size could (one probe at a time, so the window is
    // exceeded by at most one probe): a bulk transfer keeps the window full, and a probe that had
    // to fit whole would never go.
    if (size === undefined || r.bytesInFlight + this.maxDatagram > r.congestion.window() || this.#c.amp.allowance < size) return undefined;
    if (this.#pacer.nextSendTime(now, this.maxDatagram, this.#pacingInput()) > now) return undefined;
    const dcid = this.#c.remoteCid();
    const plan = new FramePlan(size - shortOverhead(dcid));
    plan.add({ type: 'ping', sequence: this.#c.nextPingSequence() });
    const pn = this.#c.spaces.app.nextPn;
    const packet = this.#seal(now, 'app', plan, size, true);
    if (packet.length !== size) throw new Error(`mtu probe: sealed ${packet.length} bytes, wanted ${size}`); // a bug, never peer input
    pmtu.onProbeSent(size, pn);
    this.#c.amp.onSent(packet.length);
    return packet;
  }

  /** Whether ack-eliciting frames wait to be sent. */
  #hasWork(initial: boolean, oneRtt: boolean): boolean {
    const s = this.#c.spaces;
    if (initial && s.initial.queue.length) return true;
    if (!oneRtt) return false;
    return s.app.queue.length > 0 || (this.#c.streams()?.hasWork ?? false);
  }

  /**
   * The frames of one packet at `level`: an ACK when one is due (or rides along when other frames
   * go), then — when `elicit` — queued control frames and, in 1-RTT packets, the streams'; a probe
   * with nothing else gets a PING. Undefined when the packet would be empty.
   */
  #plan(now: number, level: Level, room: number, elicit: boolean, probe: boolean): FramePlan | undefined {
    const space = this.#c.spaces[level];
    const streams = level === 'app' ? this.#c.streams() : undefined;
    const plan = new FramePlan(room);
    const rec = space.received;
    const due = rec.ackDeadline !== undefined && rec.ackDeadline <= now;
    const others = elicit && (probe || space.queue.length > 0 || (streams?.hasWork ?? false));
    if (rec.hasUnreported && (due || others)) {
      const ack = rec.buildAck(now, ACK_RANGES_SENT);
      if (ack) plan.add(ack, { kind: 'ack', largest: ack.largestAcknowledged });
    } else if (due) {
      rec.onAckSent(); // a deadline with nothing left to report
    }
    if (elicit) {
      while (space.queue.length) {
        const q = space.queue[0];
        if (!plan.add(q.frame, q.item)) break;
        space.queue.shift();
      }
      const rtt = this.#c.recovery.rtt;
      streams?.fill(plan, now, rtt.hasSample ? rtt.smoothed : 0);
      if (probe && !plan.eliciting) plan.add({ type: 'ping', sequence: this.#c.nextPingSequence() });
    }
    return plan.frames.length ? plan : undefined;
  }

  /** Seals a planned packet and records it with loss recovery and the pacer. */
  #seal(now: number, level: Level, plan: FramePlan, padTo?: number, mtuProbe = false): Uint8Array {
    const c = this.#c;
    const space = c.spaces[level];
    const rs = recoverySpace(level);
    const pn = space.nextPn++;
    const largestAcked = c.recovery.largestAcked(rs);
    const packet = level === 'initial'
      ? sealInitial({ keys: c.initialKeys()!, dcid: c.remoteCid(), scid: c.localCid, token: c.initialToken?.(), pn, largestAcked, plan, padTo })
      : c.oneRtt() ? sealShort({ keys: c.oneRtt()!, dcid: c.remoteCid(), pn, largestAcked, plan, padTo })
      : sealZeroRtt({ keys: c.earlyKeys!()!, dcid: c.remoteCid(), scid: c.localCid, pn, largestAcked, plan });
    if (plan.ackLargest !== undefined) space.received.onAckSent();
    c.trace?.({ type: 'packet_sent', now, level, packetNumber: pn, bytes: packet.length, frames: plan.frames, keyPhase: level === 'app' ? c.oneRtt()?.sendGeneration : undefined });
    const inFlight = plan.eliciting || padTo !== undefined;
    c.recovery.onPacketSent(now, rs, { packetNumber: pn, bytes: packet.length, ackEliciting: plan.eliciting, inFlight, frames: plan.items, mtuProbe });
    if (inFlight) this.#pacer.onPacketSent(now, packet.length);
    if (plan.eliciting) c.onElicitingSent(now, level);
    return packet;
  }

  #pacingInput(): { window: number; smoothedRtt: number; pacingRate: number | undefined } {
    const r = this.#c.recovery;
    return { window: r.congestion.window(), smoothedRtt: r.rtt.smoothed, pacingRate: r.congestion.pacingRate() };
  }
}

/** `a ‖ b`. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
