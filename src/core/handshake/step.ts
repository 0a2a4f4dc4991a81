/**
 * What one handshake event did: the record the model-based test compares with the tables of
 * spec/machines/handshake.yaml, and the typed error a failed handshake carries.
 *
 * @module
 */
import { ErrorCode, TransportError, type ErrorCodeName } from '../../gen/errors.ts';
import type { MachineStep } from '../machine-step.ts';

/** Which side a handshake runs. */
export type Role = 'client' | 'server';

/** A step of a handshake: the shared {@link MachineStep} plus the side. */
export interface Step<S extends string = string, E extends string = string, G extends string = string, A extends string = string> extends MachineStep<S, E, G, A> {
  readonly role: Role;
}

/**
 * A failed handshake: the transport error code to close with, and where it happened.
 * `remote` is true when the peer closed (its code is reported, not sent back).
 */
export class HandshakeError extends TransportError {
  override name = 'HandshakeError';
  readonly role: Role;
  readonly state: string;
  readonly event: string;
  readonly remote: boolean;

  constructor(code: number, reason: string, where: { role: Role; state: string; event: string; remote?: boolean }, options?: { cause?: unknown }) {
    super(code, `${reason} (${where.role}, state ${where.state}, event ${where.event})`, options);
    this.role = where.role;
    this.state = where.state;
    this.event = where.event;
    this.remote = where.remote ?? false;
  }
}

/** The code of a spec error name. */
export function codeOf(name: ErrorCodeName): number {
  return ErrorCode[name];
}
