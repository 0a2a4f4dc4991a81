/**
 * What one event did to a stream part: the record the model-based test compares with the tables
 * of spec/machines/stream-send.yaml and stream-recv.yaml, and the typed error a failed part
 * carries.
 *
 * @module
 */
import { ErrorCode, TransportError, type ErrorCodeName } from '../../gen/errors.ts';
import type { MachineStep } from '../machine-step.ts';

/** Which table a step belongs to. */
export type StreamMachine = 'send_stream' | 'recv_stream';

/** A step of a stream part: the shared {@link MachineStep} plus which part and stream. */
export interface StreamStep<S extends string = string, E extends string = string, G extends string = string, A extends string = string> extends MachineStep<S, E, G, A> {
  readonly machine: StreamMachine;
  /** The stream's id, when the part was given one. */
  readonly streamId?: number;
}

/**
 * The transport error of a failed part: its typed class (`FinalSizeError`, `FlowControlError`, …)
 * with a reason naming the stream, the machine, the state and the event.
 */
export function streamError(
  error: ErrorCodeName, reason: string,
  where: { machine: StreamMachine; streamId?: number; state: string; event: string },
): TransportError {
  const id = where.streamId === undefined ? '' : `stream ${where.streamId}: `;
  return TransportError.of(ErrorCode[error], `${id}${reason} (${where.machine}, state ${where.state}, event ${where.event})`);
}

/** Builds steps for one part, tracking its state; shared by the send and receive parts. */
export class StepMaker<S extends string, E extends string, G extends string, A extends string> {
  state: S;
  error: TransportError | undefined;

  constructor(readonly machine: StreamMachine, initial: S, readonly terminal: ReadonlySet<S>, readonly streamId?: number) {
    this.state = initial;
  }

  /** Whether the part is in a terminal state. */
  get done(): boolean { return this.terminal.has(this.state); }

  #base(): { machine: StreamMachine; streamId?: number } {
    return this.streamId === undefined ? { machine: this.machine } : { machine: this.machine, streamId: this.streamId };
  }

  /** A transition: moves to `next` and reports the actions (and the guard that held, for a guarded row). */
  go(event: E, guard: G | undefined, next: S, actions: A[]): StreamStep<S, E, G, A> {
    // Called for every stream frame sent, received and acknowledged: one object literal per case
    // (same keys, same order as the other builders) rather than spreads, which cost ~10% of the
    // core's CPU in the sim bench.
    const state = this.state, machine = this.machine, streamId = this.streamId;
    this.state = next;
    if (streamId === undefined) {
      return guard === undefined ? { machine, state, event, next, actions } : { machine, state, event, next, actions, guard };
    }
    return guard === undefined ? { machine, streamId, state, event, next, actions } : { machine, streamId, state, event, next, actions, guard };
  }

  /** A row with an error: the part fails with `error`. */
  fail(event: E, guard: G | undefined, error: ErrorCodeName, reason: string, next: S): StreamStep<S, E, G, A> {
    const state = this.state;
    this.error = streamError(error, reason, { ...this.#base(), state, event });
    this.state = next;
    const step = { ...this.#base(), state, event, next, actions: [] as A[], error };
    return guard === undefined ? step : { ...step, guard };
  }

  /** A terminal state ignores the event. */
  ignore(event: E): StreamStep<S, E, G, A> {
    return { ...this.#base(), state: this.state, event, next: this.state, actions: [], ignored: true };
  }
}
