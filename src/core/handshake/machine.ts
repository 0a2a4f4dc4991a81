/**
 * What the client and server handshakes share as state machines: the current state, the error
 * of a failed handshake, and how a handler records the step it takes (a transition, a failure by
 * a local check, on_invalid, or a terminal state ignoring an event).
 *
 * @module
 */
import type { ErrorCodeName } from '../../gen/errors.ts';
import { codeOf, HandshakeError, type Role, type Step } from './step.ts';

export abstract class HandshakeMachine<S extends string, E extends string, G extends string, A extends string> {
  protected current: S;
  protected failure: HandshakeError | undefined;
  readonly #role: Role;
  readonly #terminal: ReadonlySet<S>;
  readonly #failed: S;

  protected constructor(role: Role, initial: S, failed: S, terminal: readonly S[]) {
    this.#role = role;
    this.current = initial;
    this.#failed = failed;
    this.#terminal = new Set(terminal);
  }

  /** The current state. */
  get state(): S { return this.current; }
  /** Why the handshake failed, once failed. */
  get error(): HandshakeError | undefined { return this.failure; }
  /** Whether the state is terminal (confirmed or failed). */
  get done(): boolean { return this.#terminal.has(this.current); }

  /** Wipes the handshake's secrets and attempt state (action discard_handshake_state, and on failure). */
  protected abstract discard(): void;

  /** A transition to `next` doing `actions`. */
  protected go(event: E, guard: G | undefined, next: S, actions: A[]): Step<S, E, G, A> {
    const state = this.current;
    this.current = next;
    return guard === undefined ? { role: this.#role, state, event, next, actions } : { role: this.#role, state, event, guard, next, actions };
  }

  /** A failure by a local check: the handshake ends with `error`. */
  protected fail(event: E, guard: G | undefined, error: ErrorCodeName, reason: string, cause?: unknown): Step<S, E, G, A> {
    const state = this.current;
    this.failure = new HandshakeError(codeOf(error), reason, { role: this.#role, state, event }, { cause });
    this.discard();
    this.current = this.#failed;
    const step: Step<S, E, G, A> = { role: this.#role, state, event, next: this.#failed, actions: [], error };
    return guard === undefined ? step : { ...step, guard };
  }

  /** The peer closed: its code is reported (remote), not sent back. */
  protected peerClosed(code: number, reason: string, action: A): Step<S, E, G, A> {
    const state = this.current;
    this.failure = new HandshakeError(code, `peer closed the handshake${reason ? `: ${reason}` : ''}`, { role: this.#role, state, event: 'peer_close', remote: true });
    this.discard();
    this.current = this.#failed;
    return { role: this.#role, state, event: 'peer_close' as E, next: this.#failed, actions: [action] };
  }

  /** on_invalid: an event with no transition from this state. */
  protected invalid(event: E): Step<S, E, G, A> {
    return this.fail(event, undefined, 'PROTOCOL_VIOLATION', `no transition for event ${event} in state ${this.current}`);
  }

  /** A terminal state ignores every event. */
  protected ignore(event: E): Step<S, E, G, A> {
    return { role: this.#role, state: this.current, event, next: this.current, actions: [], ignored: true };
  }
}
