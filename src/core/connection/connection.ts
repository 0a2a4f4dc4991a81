/**
 * One JSP connection, sans-IO (DESIGN.md: quinn-proto / h11 style): `handleDatagram(now, from,
 * bytes)`, `pollTransmit(now)`, `pollTimeout()`, `handleTimeout(now)`, `pollEvent()`. Time is an
 * argument, randomness comes from the injected `rng`, crypto from the injected provider.
 *
 * What this first version carries: the handshake (spec/machines/handshake.yaml) in HANDSHAKE
 * frames of Initial packets under the Initial keys, the switch to 1-RTT packets under the
 * handshake's keys with key phases, confirmation (the server's HANDSHAKE_DONE after the client's
 * first 1-RTT packet), ACKs, retransmission of lost handshake data on a probe timer, PING/PONG,
 * CONNECTION_CLOSE both ways and the idle timeout. Streams, flow control and RFC 9002 recovery
 * and congestion control come with [core].
 *
 * @module
 */
import type { CryptoProvider } from '../../crypto/provider.ts';
import { VERSION_1 } from '../../gen/constants.ts';
import { ErrorCode, TransportError } from '../../gen/errors.ts';
import { decodeFrames, encodeFrame, type Frame } from '../../gen/frames.ts';
import {
  ClientHandshake, RecordReader, ServerHandshake,
  type ClientHandshakeConfig, type HandshakeKeys, type ServerHandshakeConfig, type Step,
} from '../handshake/index.ts';
import { initialKeys, KeyPhases, packetNumberLength, protect, unprotect, type PacketKeys } from '../protection/index.ts';
import { HandshakeStreamReceiver } from './handshake-stream.ts';
import { CID_LENGTH, initialHeader, shortHeader, splitDatagram, type SplitPacket } from './headers.ts';
import { isAckEliciting, isRetransmittable, PacketSpace } from './spaces.ts';

/** A peer address, opaque to the core (e.g. '127.0.0.1:4433'). */
export type Address = string;
/** A datagram to send. */
export interface Transmit { to: Address; data: Uint8Array }

/** What a connection tells its owner. */
export type ConnectionEvent =
  | { type: 'connected'; keys: HandshakeKeys; alpn: string }
  | { type: 'confirmed' }
  | { type: 'pong'; sequence: number; rttMs: number }
  | { type: 'closed'; error?: TransportError; remote: boolean; reason: string };

/** The smallest datagram a client's Initial may travel in (RFC 9000 §14.1). */
export const MIN_INITIAL_DATAGRAM = 1200;
/** The first probe timeout before any RTT sample (RFC 9002 §6.2.2: 3 × 333 ms). */
const INITIAL_PTO_MS = 999;
/** Most payload bytes of handshake data in one Initial packet of a 1200-byte datagram. */
const HANDSHAKE_CHUNK = 1100;

type Level = 'initial' | 'app';

interface Common {
  provider: CryptoProvider;
  rng: (n: number) => Uint8Array;
  /** Idle timeout of this side in ms (0: none); the connection uses the minimum of both sides' non-zero values. */
  idleTimeoutMs?: number;
}

/** The sans-IO connection. Create it with {@link Connection.client} or through an Endpoint (server). */
export class Connection {
  readonly role: 'client' | 'server';
  readonly #p: CryptoProvider;
  readonly #handshake: ClientHandshake | ServerHandshake;
  #remote: Address;
  readonly localCid: Uint8Array;
  #remoteCid: Uint8Array;
  /** The DCID of the client's first Initial: the Initial keys come from it. */
  readonly originalDcid: Uint8Array;
  #initial: { send: PacketKeys; recv: PacketKeys } | undefined;
  #oneRtt: KeyPhases | undefined;
  readonly #spaces: Record<Level, PacketSpace> = { initial: new PacketSpace(), app: new PacketSpace() };
  readonly #hsRecv = new HandshakeStreamReceiver();
  readonly #records = new RecordReader();
  #hsSendOffset = 0;
  readonly #queue: Record<Level, Frame[]> = { initial: [], app: [] };
  readonly #out: Transmit[] = [];
  readonly #events: ConnectionEvent[] = [];
  #ptoAt: number | undefined;
  #ptoCount = 0;
  #idleTimeoutMs: number;
  #idleAt: number | undefined;
  #closed = false;
  #pingSeq = 0;
  readonly #pingSent = new Map<number, number>();
  /** Every handshake step taken, in order (for tests and qlog). */
  readonly steps: Step[] = [];

  private constructor(role: 'client' | 'server', o: Common, handshake: ClientHandshake | ServerHandshake, remote: Address, localCid: Uint8Array, remoteCid: Uint8Array, originalDcid: Uint8Array) {
    this.role = role;
    this.#p = o.provider;
    this.#handshake = handshake;
    this.#remote = remote;
    this.localCid = localCid;
    this.#remoteCid = remoteCid;
    this.originalDcid = originalDcid;
    const keys = initialKeys(o.provider, originalDcid);
    this.#initial = role === 'client' ? { send: keys.client, recv: keys.server } : { send: keys.server, recv: keys.client };
    this.#idleTimeoutMs = o.idleTimeoutMs ?? 0;
  }

  /** A client connection to `remote`; its first flight is ready for `pollTransmit` at once. */
  static client(o: Common & { remote: Address; handshake: Omit<ClientHandshakeConfig, 'provider' | 'rng'> }, now: number): Connection {
    const dcid = o.rng(CID_LENGTH), scid = o.rng(CID_LENGTH);
    const hs = new ClientHandshake({ ...o.handshake, provider: o.provider, rng: o.rng, transportParameters: { ...o.handshake.transportParameters, maxIdleTimeoutMs: o.idleTimeoutMs ?? 0, initialSourceConnectionId: scid } });
    const c = new Connection('client', o, hs, o.remote, scid, dcid, dcid);
    c.#step(hs.start());
    c.#afterHandshakeStep(now);
    c.#flush(now);
    return c;
  }

  /** A server connection for a client's first Initial (the Endpoint calls this). */
  static server(o: Common & { remote: Address; handshake: Omit<ServerHandshakeConfig, 'provider' | 'rng'>; clientScid: Uint8Array; originalDcid: Uint8Array }): Connection {
    const scid = o.rng(CID_LENGTH);
    const hs = new ServerHandshake({ ...o.handshake, provider: o.provider, rng: o.rng, transportParameters: { ...o.handshake.transportParameters, maxIdleTimeoutMs: o.idleTimeoutMs ?? 0, initialSourceConnectionId: scid, originalDestinationConnectionId: o.originalDcid } });
    return new Connection('server', o, hs, o.remote, scid, o.clientScid.slice(), o.originalDcid.slice());
  }

  /** The handshake state (spec/machines/handshake.yaml). */
  get handshakeState(): string { return this.#handshake.state; }
  get isClosed(): boolean { return this.#closed; }
  get remote(): Address { return this.#remote; }

  /** The next event, if any. */
  pollEvent(): ConnectionEvent | undefined { return this.#events.shift(); }

  /** The next datagram to send, if any. */
  pollTransmit(_now: number): Transmit | undefined { return this.#out.shift(); }

  /** When {@link handleTimeout} must next be called (absolute ms), if ever. */
  pollTimeout(): number | undefined {
    if (this.#closed) return undefined;
    const t = [this.#ptoAt, this.#idleAt, this.#oneRtt?.pollTimeout()].filter((x): x is number => x !== undefined);
    return t.length ? Math.min(...t) : undefined;
  }

  handleTimeout(now: number): void {
    if (this.#closed) return;
    if (this.#idleAt !== undefined && now >= this.#idleAt) {
      this.#finish(TransportError.of(ErrorCode.IDLE_TIMEOUT, `no packet for ${this.#idleTimeoutMs} ms`), false);
      return;
    }
    this.#oneRtt?.handleTimeout(now);
    if (this.#ptoAt !== undefined && now >= this.#ptoAt) {
      this.#ptoCount++;
      for (const level of ['initial', 'app'] as const) {
        const space = this.#spaces[level];
        for (const [pn, s] of space.sent) {
          this.#queue[level].push(...s.frames);
          space.sent.delete(pn);
        }
      }
      this.#ptoAt = undefined;
      this.#flush(now);
    }
  }

  /** Sends a PING with a sequence; the PONG gives an RTT sample (a `pong` event). */
  ping(now: number): number {
    const sequence = this.#pingSeq++;
    this.#pingSent.set(sequence, now);
    this.#queue[this.#oneRtt ? 'app' : 'initial'].push({ type: 'ping', sequence });
    this.#flush(now);
    return sequence;
  }

  /** Closes with `code` (a transport error code) and a reason; the peer is told in a CONNECTION_CLOSE. */
  close(now: number, code: number = ErrorCode.NO_ERROR, reason = ''): void {
    if (this.#closed) return;
    this.#sendClose(now, code, reason);
    this.#finish(code === ErrorCode.NO_ERROR ? undefined : TransportError.of(code, reason), false);
  }

  // ─────────────────────────────── receiving ───────────────────────────────

  handleDatagram(now: number, from: Address, data: Uint8Array): void {
    if (this.#closed) return;
    for (const pkt of splitDatagram(data)) {
      if (this.#closed) return;
      this.#handlePacket(now, from, pkt);
    }
    this.#flush(now);
  }

  #handlePacket(now: number, from: Address, pkt: SplitPacket): void {
    if (pkt.form === 'long-other') return; // 0-RTT, Handshake, Retry, VN: not in this version of the core
    let level: Level, payload: Uint8Array, pn: number;
    if (pkt.form === 'initial') {
      if (!this.#initial || pkt.version !== VERSION_1) return;
      const opened = unprotect(this.#initial.recv, pkt.packet, pkt.pnOffset, this.#spaces.initial.largestReceived);
      if (!opened) return; // does not authenticate: discard (RFC 9001 §5.5)
      if (this.role === 'client' && !this.#sameCid(pkt.scid)) this.#remoteCid = pkt.scid.slice(); // the server's chosen CID
      level = 'initial';
      payload = opened.payload;
      pn = opened.packetNumber;
    } else {
      if (!this.#oneRtt) return;
      const r = this.#oneRtt.open(now, pkt.packet, pkt.pnOffset);
      if (!r.ok) return;
      level = 'app';
      payload = r.payload;
      pn = r.packetNumber;
    }
    let frames: Frame[];
    try {
      frames = decodeFrames(payload);
    } catch (e) {
      this.#fatal(now, TransportError.fromDecodeError(e as never));
      return;
    }
    const space = this.#spaces[level];
    if (!space.onReceived(pn, frames.some(isAckEliciting))) return; // duplicate
    this.#remote = from;
    if (this.#idleTimeoutMs > 0) this.#idleAt = now + this.#idleTimeoutMs;
    if (level === 'app' && this.role === 'server' && this.#handshake.state === 'established') {
      const step = (this.#handshake as ServerHandshake).handleOneRttPacket();
      this.#step(step);
      if (step.next === 'confirmed') this.#onConfirmed();
    }
    for (const f of frames) {
      if (this.#closed) return;
      this.#handleFrame(now, level, f);
    }
  }

  #handleFrame(now: number, level: Level, f: Frame): void {
    switch (f.type) {
      case 'padding': return;
      case 'ack': {
        const acked = this.#spaces[level].onAck(f);
        if (level === 'app') for (const pn of acked) this.#oneRtt?.onPacketAcked(pn);
        if (acked.length) { this.#ptoCount = 0; this.#armPto(now); }
        return;
      }
      case 'ping': this.#queue[level].push({ type: 'pong', sequence: f.sequence }); return;
      case 'pong': {
        const sent = this.#pingSent.get(f.sequence);
        if (sent !== undefined) { this.#pingSent.delete(f.sequence); this.#events.push({ type: 'pong', sequence: f.sequence, rttMs: now - sent }); }
        return;
      }
      case 'handshake': {
        if (level !== 'initial') { this.#fatal(now, TransportError.of(ErrorCode.PROTOCOL_VIOLATION, 'HANDSHAKE frame outside Initial packets')); return; }
        let bodies: Uint8Array[];
        try {
          bodies = this.#records.push(this.#hsRecv.push(f.offset, f.data));
        } catch (e) {
          this.#fatal(now, e as TransportError);
          return;
        }
        for (const b of bodies) {
          this.#step(this.#handshake.handleRecord(b));
          if (this.#afterHandshakeStep(now)) return;
        }
        return;
      }
      case 'handshake_done': {
        if (this.role === 'server') { this.#fatal(now, TransportError.of(ErrorCode.PROTOCOL_VIOLATION, 'a client sent HANDSHAKE_DONE')); return; }
        const step = (this.#handshake as ClientHandshake).handleHandshakeDone();
        this.#step(step);
        if (step.next === 'confirmed' && step.state !== 'confirmed') this.#onConfirmed();
        return;
      }
      case 'connection_close': {
        const reason = f.reason?.message ?? '';
        if (!this.#handshake.done) this.#step(this.#handshake.handlePeerClose(f.errorCode, reason));
        this.#finish(f.errorCode === ErrorCode.NO_ERROR && !f.application ? undefined : TransportError.of(f.errorCode, reason), true);
        return;
      }
      default:
        // Streams, flow control, connection IDs and the rest arrive with [core]; until then a frame
        // the connection cannot act on is ignored rather than misread.
        return;
    }
  }

  /** After a handshake step: send what it produced, install keys, or fail. True when the connection ended. */
  #afterHandshakeStep(now: number): boolean {
    const hs = this.#handshake;
    for (let r = hs.pollOutput(); r !== undefined; r = hs.pollOutput()) this.#queueHandshakeRecord(r);
    if (hs.state === 'failed') {
      const e = hs.error!;
      if (!e.remote) this.#sendClose(now, e.code, e.reason);
      this.#finish(e, e.remote);
      return true;
    }
    if (hs.state === 'established' && !this.#oneRtt) {
      const keys = hs.keys!;
      const client = this.role === 'client';
      this.#oneRtt = new KeyPhases({
        provider: this.#p, suite: keys.suite,
        sendSecret: client ? keys.clientSecret : keys.serverSecret,
        receiveSecret: client ? keys.serverSecret : keys.clientSecret,
        previousKeyRetention: 3 * INITIAL_PTO_MS,
      });
      const peer = hs.peerTransportParameters!;
      if (peer.maxIdleTimeoutMs > 0) this.#idleTimeoutMs = this.#idleTimeoutMs > 0 ? Math.min(this.#idleTimeoutMs, peer.maxIdleTimeoutMs) : peer.maxIdleTimeoutMs;
      if (this.#idleTimeoutMs > 0) this.#idleAt = now + this.#idleTimeoutMs;
      this.#events.push({ type: 'connected', keys, alpn: hs.alpn });
      // The client's first 1-RTT packet confirms its keys to the server.
      if (client) this.#queue.app.push({ type: 'ping', sequence: this.#pingSeq++ });
    }
    return false;
  }

  #onConfirmed(): void {
    this.#oneRtt?.confirmHandshake();
    // discard_handshake_state: the Initial keys and what was in flight under them.
    this.#initial = undefined;
    this.#spaces.initial.sent.clear();
    this.#queue.initial.length = 0;
    if (this.role === 'server') this.#queue.app.push({ type: 'handshake_done' });
    this.#events.push({ type: 'confirmed' });
  }

  // ─────────────────────────────── sending ───────────────────────────────

  #queueHandshakeRecord(record: Uint8Array): void {
    for (let at = 0; at < record.length; at += HANDSHAKE_CHUNK) {
      const data = record.subarray(at, at + HANDSHAKE_CHUNK);
      this.#queue.initial.push({ type: 'handshake', offset: this.#hsSendOffset, data });
      this.#hsSendOffset += data.length;
    }
  }

  #step(s: Step): void {
    this.steps.push(s);
  }

  /** Turns queued frames (and pending ACKs) into datagrams. */
  #flush(now: number): void {
    if (this.#closed) return;
    // Initial packets: one per datagram, padded (client always; server when ack-eliciting).
    // Once the handshake is done, Initial packets are only ACKs of what the peer still sends.
    for (;;) {
      const datagram = this.#buildInitial(now);
      if (!datagram) break;
      const oneRtt = this.#buildOneRtt(now);
      // A 1-RTT packet may ride in the same datagram (coalesced after the Initial).
      this.#out.push({ to: this.#remote, data: oneRtt ? concat([datagram, oneRtt]) : datagram });
    }
    for (let d = this.#buildOneRtt(now); d; d = this.#buildOneRtt(now)) this.#out.push({ to: this.#remote, data: d });
  }

  #takeFrames(level: Level, budget: number): Frame[] {
    const q = this.#queue[level];
    const frames: Frame[] = [];
    let size = 0;
    const space = this.#spaces[level];
    if (space.ackPending) {
      const ack = space.ackFrame();
      if (ack) { frames.push(ack); size += encodeFrame(ack).length; }
      space.ackPending = false;
    }
    while (q.length) {
      const n = encodeFrame(q[0]).length;
      if (size + n > budget && frames.length) break;
      frames.push(q.shift()!);
      size += n;
    }
    return frames;
  }

  #buildInitial(now: number): Uint8Array | undefined {
    if (!this.#initial) return undefined;
    const frames = this.#takeFrames('initial', HANDSHAKE_CHUNK + 40);
    if (frames.length === 0) return undefined;
    const eliciting = frames.some(isAckEliciting);
    let payload = concat(frames.map(encodeFrame));
    const space = this.#spaces.initial;
    const pn = space.nextPn++;
    const pnLength = packetNumberLength(pn, space.largestAcked);
    const make = (payloadLength: number) => initialHeader({ version: VERSION_1, dcid: this.#remoteCid, scid: this.localCid, token: new Uint8Array(0), pn, pnLength, payloadLength });
    if (this.role === 'client' || eliciting) {
      // Pad the payload (PADDING frames are zero bytes) so the datagram reaches 1200 bytes.
      const { header } = make(payload.length);
      const short = MIN_INITIAL_DATAGRAM - (header.length + payload.length + 16);
      if (short > 0) payload = concat([payload, new Uint8Array(short + 2)]); // +2: the Length varint may grow
    }
    if (payload.length < 4) payload = concat([payload, new Uint8Array(4 - payload.length)]); // room to sample
    const { header, pnOffset } = make(payload.length);
    const retrans = frames.filter(isRetransmittable);
    if (eliciting || retrans.length) { space.sent.set(pn, { frames: retrans, time: now }); this.#armPto(now); }
    return protect(this.#initial.send, header, pnOffset, pn, payload);
  }

  #buildOneRtt(now: number): Uint8Array | undefined {
    if (!this.#oneRtt) return undefined;
    const frames = this.#takeFrames('app', 1150);
    if (frames.length === 0) return undefined;
    let payload = concat(frames.map(encodeFrame));
    if (payload.length < 4) payload = concat([payload, new Uint8Array(4 - payload.length)]);
    const space = this.#spaces.app;
    const pn = space.nextPn++;
    const { header, pnOffset } = shortHeader({ dcid: this.#remoteCid, pn, pnLength: packetNumberLength(pn, space.largestAcked) });
    const retrans = frames.filter(isRetransmittable);
    if (frames.some(isAckEliciting) || retrans.length) { space.sent.set(pn, { frames: retrans, time: now }); this.#armPto(now); }
    return this.#oneRtt.protect(header, pnOffset, pn, payload);
  }

  #armPto(now: number): void {
    const outstanding = this.#spaces.initial.sent.size + this.#spaces.app.sent.size;
    this.#ptoAt = outstanding ? now + INITIAL_PTO_MS * 2 ** this.#ptoCount : undefined;
  }

  #sendClose(now: number, code: number, reason: string): void {
    const frame: Frame = { type: 'connection_close', application: false, errorCode: code, frameType: 0n, reason: { message: reason.slice(0, 200), origin: 1, details: new Uint8Array(0) } };
    // Before confirmation the peer may not have 1-RTT keys yet: say it in an Initial packet too.
    if (this.#oneRtt) this.#queue.app.push(frame);
    if (this.#initial && this.#handshake.state !== 'confirmed') this.#queue.initial.push(frame);
    this.#flush(now);
  }

  #fatal(now: number, e: TransportError): void {
    this.#sendClose(now, e.code, e.reason);
    this.#finish(e, false);
  }

  #finish(error: TransportError | undefined, remote: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ptoAt = this.#idleAt = undefined;
    this.#events.push({ type: 'closed', error, remote, reason: error?.reason ?? '' });
    this.#oneRtt?.wipe();
    this.#initial = undefined;
  }

  #sameCid(cid: Uint8Array): boolean {
    return cid.length === this.#remoteCid.length && cid.every((b, i) => b === this.#remoteCid[i]);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
