/**
 * What one event did to any runtime state machine of spec/machines/: the record model-based tests
 * and the state-machine vectors compare with the tables.
 *
 * @module
 */
import type { ErrorCodeName } from '../gen/errors.ts';

/** One transition taken: from `state` on `event` (with the `guard` that held) to `next`, doing `actions`. */
export interface MachineStep<S extends string = string, E extends string = string, G extends string = string, A extends string = string> {
  readonly state: S;
  readonly event: E;
  readonly guard?: G;
  readonly next: S;
  readonly actions: readonly A[];
  /** The spec error the machine failed with by a local check. */
  readonly error?: ErrorCodeName;
  /** True when a terminal state ignored the event. */
  readonly ignored?: boolean;
}
