/**
 * Drives the sans-IO connection (src/core/connection) through the events of the lifecycle machine
 * of spec/machines/connection.yaml with genuine inputs: a real client and server on the simulator
 * (connection-world.ts) are brought to a state by what applications and networks do — a
 * handshake, a close, a shutdown with a stream left unread, a peer's close, lost packets — and
 * then the event is caused the same way: the application's call, a packet from the peer (or a
 * duplicate, or a forged one breaking a rule), time passing on a live or a dead path. The answer
 * is the step the runtime itself reported for that event (`Connection.lifecycleObserver`), so the
 * runtime — not the table — answers, as in the handshake and stream drivers.
 *
 * The subject is the client, except where only a server can take the event (a handshake record it
 * cannot take after its ServerHello). A terminal state that reports no step for the event and
 * stays put ignored it. An event the runtime did not take in a state with a row for it is an error
 * (the case fails). A pair without a row cannot be asked at all: the runtime raises lifecycle
 * events only where the table has them (a close timer exists only in closing and draining, a
 * closing connection reads no packet, …), so {@link LifecycleDriver.unsupported} names the reason
 * and the adapter answers `unsupported` for it.
 *
 * @module
 */
import type { LifecycleStep } from '../../src/core/connection/index.ts';
import { closeFrames } from '../../src/core/connection/close.ts';
import { LIFECYCLE_TERMINAL, LIFECYCLE_TRANSITIONS, type LifecycleEvent, type LifecycleState } from '../../src/gen/machine-connection.ts';
import { IDLE_MS, SHUTDOWN_MS, World, type Side, type Who } from './connection-world.ts';

/** The driver's answer: the runtime's step, with `ignored` when the terminal state ignored the event. */
export type DriverStep = LifecycleStep & { readonly ignored?: boolean };

/** Events that only a packet can raise (a frame in it, or the handshake record it carries). */
const FROM_PACKETS = new Set(['handshake_complete', 'handshake_failed', 'protocol_error', 'peer_stream_opened', 'peer_close', 'version_negotiation']);

/** Why no genuine input raises `event` in `state`, a pair the table has no row for. */
function cannot(state: string, event: string): string {
  if (state === 'closing' || state === 'draining') {
    return FROM_PACKETS.has(event)
      ? `a ${state} connection reads no packet (every datagram is packet_received → ${state === 'closing' ? 'repeat_close' : 'discard_packet'}), so nothing in one can raise ${event}`
      : `a ${state} connection has no timer or check left but the end of its ${state} period (close_timer_expired)`;
  }
  switch (event) {
    case 'close_timer_expired': return 'the close timer is armed only on entering closing or draining';
    case 'handshake_complete': return 'the 1-RTT keys are installed once, on leaving handshaking';
    case 'streams_drained': return 'the streams are checked for a drain only while shutting down';
    case 'shutdown_timeout': return "a shutdown's time limit is armed only on entering shutting_down";
    case 'peer_stream_opened': return 'STREAM frames come in 1-RTT (or accepted 0-RTT) packets, which a connection opens only once established';
    case 'version_negotiation': return 'a client acts on a Version Negotiation only before any other packet from the server (RFC 9000 §6.2); an established one has had Initials, and the packet is discarded within packet_received';
    default: return 'no genuine input raises it there';
  }
}

const line = (s: LifecycleStep) => `${s.state} --${s.event}${s.guard ? `[${s.guard}]` : ''}--> ${s.next}`;

/** The lifecycle machine's driver: `reach(state, event, guard).apply(event, guard)`, one world per case. */
export class LifecycleDriver {
  readonly machine = 'lifecycle' as const;
  #world: World | undefined;
  #who: Who = 'C';

  constructor(readonly seed = 'connection driver') {}

  get world(): World {
    if (!this.#world) throw new Error('connection driver: reach a state first');
    return this.#world;
  }

  /** The side whose lifecycle the driver asks: the client, or the server where only a server can take the event. */
  get subject(): Side { return this.world.sides[this.#who]; }

  /** Why (state, event) cannot be asked of the runtime, or undefined when it can. */
  unsupported(state: string, event: string): string | undefined {
    if (LIFECYCLE_TERMINAL.has(state as LifecycleState) || LIFECYCLE_TRANSITIONS.some((t) => t.state === state && t.event === event)) return undefined;
    return `the runtime cannot be asked ${event} in ${state}: the pair has no row, and ${cannot(state, event)}`;
  }

  /**
   * A new world whose subject is in `state`, reached by genuine events, ready for `event` with
   * `guard`: a resumed client with 0-RTT for the guards that need early data, an unconfirmed
   * server for a handshake record after its ServerHello, a server whose answers are lost for a
   * close the client still waiting for the handshake hears.
   */
  reach(state: string, event: string, guard?: string): this {
    const server = event === 'handshake_failed' && (state === 'established' || state === 'shutting_down');
    const resumed = state === 'handshaking' && (guard === 'early_data' || guard === 'busy');
    const w = this.#world = new World(`${this.seed} ${state} ${event} ${guard ?? '-'}`, resumed ? 'resumed' : 'fresh');
    this.#who = server ? 'S' : 'C';
    const X = w.sides[this.#who], Y = w.sides[server ? 'C' : 'S'];
    const established = () => {
      if (server) { // the client's 1-RTT packets are lost: the server stays established, unconfirmed, with its Initial keys
        w.run(100, () => X.conn?.state === 'established');
        w.drop = 'c2s';
        w.run(50);
      } else {
        w.run(1000, () => X.conn?.handshakeState === 'confirmed' && Y.conn?.handshakeState === 'confirmed');
        w.run(100);
      }
    };
    const shuttingDown = () => {
      established();
      if (server) { // a stream whose data the client cannot acknowledge
        const id = X.c.openStream(false)!;
        X.c.write(id, new Uint8Array(1000).fill(1));
      } else { // the peer's stream, complete but unread: the shutdown waits for the application to read it
        X.reads = false;
        const id = Y.c.openStream(true)!;
        Y.c.write(id, new Uint8Array(100).fill(2));
        Y.c.finish(id);
        w.run(500, () => X.steps.some((s) => s.event === 'peer_stream_opened'));
      }
      X.c.shutdown(w.now, { timeoutMs: SHUTDOWN_MS, code: 5 });
      w.run(100);
    };
    switch (state) {
      case 'handshaking':
        if (event === 'peer_close') { w.drop = 's2c'; w.run(100, () => Y.conn?.state === 'established'); }
        break;
      case 'established': established(); break;
      case 'shutting_down': shuttingDown(); break;
      case 'closing': established(); X.c.close(w.now, { code: 7, reason: 'driver' }); break;
      case 'draining':
        established();
        Y.c.close(w.now, { code: 8, reason: 'driver peer' });
        w.run(500, () => X.c.state === 'draining');
        break;
      case 'closed':
        shuttingDown();
        Y.c.close(w.now, { code: 8, reason: 'driver peer' });
        w.run(5000, () => X.c.state === 'closed');
        break;
      default: throw new RangeError(`lifecycle: no path to state '${state}'`);
    }
    if (X.conn?.state !== state) throw new Error(`lifecycle (${this.#who === 'C' ? 'client' : 'server'}): reached ${X.conn?.state}, not ${state}`);
    return this;
  }

  /** Causes `event` (with an input for `guard`) and answers with the step the runtime reported for it. */
  apply(event: string, guard?: string): DriverStep {
    const w = this.world, x = this.#who, y: Who = x === 'C' ? 'S' : 'C';
    const X = w.sides[x], Y = w.sides[y], c = X.c;
    const state = c.state;
    if (event === 'shutdown' && guard === 'busy' && (state === 'established' || c.earlyData === 'pending')) {
      const id = c.openStream(true)!; // data not yet acknowledged: the shutdown must wait for it
      c.write(id, new Uint8Array(1000).fill(3));
      c.finish(id);
    }
    X.steps.length = 0;
    const took = () => X.steps.some((s) => s.event === event);
    const peerOpen = Y.conn !== undefined && !Y.conn.isClosed;
    const late = () => { if (!took()) c.handleTimeout(w.now + 60_000); }; // a timer asked late, even when none is armed
    switch (event as LifecycleEvent) {
      case 'handshake_complete': // the server's first flight (again, once it came)
        if (X.received.length) w.deliver(x, X.received[0]);
        w.run(1000, took);
        break;
      case 'handshake_failed': w.deliver(x, w.badRecord(x)); break;
      case 'protocol_error': // a stream far beyond the limit, or (no 1-RTT keys yet) a frame an Initial may not carry
        w.deliver(x, X.keys ? w.forgeOneRtt(x, [w.streamFrame(x, 50_000)]) : w.forgeInitial(x, [{ type: 'max_data', maximumData: 1 }]));
        break;
      case 'local_close': c.close(w.now, { code: 7, reason: 'driver' }); break;
      case 'shutdown': c.shutdown(w.now, { timeoutMs: SHUTDOWN_MS, code: 5 }); break;
      case 'app_open_stream':
        try {
          c.openStream(true);
        } catch (e) {
          if (!(e instanceof RangeError)) throw e; // refused
        }
        break;
      case 'peer_stream_opened':
        if (peerOpen && Y.conn!.state === 'established') {
          const id = Y.c.openStream(true)!;
          Y.c.write(id, new Uint8Array(10).fill(4));
          w.run(500, took);
        } else w.deliver(x, w.forgeOneRtt(x, [w.streamFrame(x, 10)]));
        break;
      case 'streams_drained': // the application reads what it left unread
        X.reads = true;
        w.run(1000, took);
        late();
        break;
      case 'shutdown_timeout': w.run(SHUTDOWN_MS + 1000, took); late(); break;
      case 'peer_close':
        if (peerOpen) {
          w.drop = 'none';
          Y.c.close(w.now, { code: 8, reason: 'driver peer' });
          w.run(500, took);
        } else w.deliver(x, w.forgeOneRtt(x, [closeFrames({ application: true, code: 8, reason: 'driver peer' }).oneRtt]));
        break;
      case 'packet_received': // a duplicate of the last datagram, or the first the peer sends
        if (X.received.length) w.deliver(x, X.received[X.received.length - 1]);
        else w.run(500, took);
        break;
      case 'version_negotiation': w.deliver(x, w.versionNegotiation()); break;
      case 'idle_timeout': w.drop = 'all'; w.run(4 * IDLE_MS, took); late(); break;
      case 'close_timer_expired': w.drop = 'all'; w.run(10_000, took); late(); break;
      default: throw new RangeError(`lifecycle: unknown event '${event}'`);
    }
    w.poll();
    const step = X.steps.find((s) => s.event === event);
    if (step) {
      if (step.state !== state) throw new Error(`lifecycle: ${event} was taken in ${step.state}, not ${state} (${X.steps.map(line).join(', ')})`);
      return step;
    }
    if (LIFECYCLE_TERMINAL.has(state) && X.steps.length === 0 && c.state === state) return { state, event: event as LifecycleEvent, next: state, actions: [], ignored: true };
    throw new Error(`lifecycle: the runtime took no ${event} step in ${state}; it reported ${X.steps.map(line).join(', ') || 'nothing'} and is ${c.state}`);
  }
}

/** A driver for machine `lifecycle` of spec/machines/connection.yaml. */
export function connectionDriver(machine: string, seed?: string): LifecycleDriver {
  if (machine === 'lifecycle') return new LifecycleDriver(seed);
  throw new RangeError(`no connection machine '${machine}'`);
}
