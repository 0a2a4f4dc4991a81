/**
 * Transport parameters in the handshake: defaults for what a config leaves out, and the checks
 * each side applies to the peer's (spec/messages.yaml `transport_parameters`).
 *
 * @module
 */
import type { TransportParameters } from '../../gen/messages.ts';
import type { Role } from './step.ts';

/** Every parameter at its protocol default (absent on the wire). */
export function defaultTransportParameters(): TransportParameters {
  return {
    maxIdleTimeoutMs: 0,
    maxUdpPayloadSize: 0,
    initialMaxData: 0,
    initialMaxStreamDataBidiLocal: 0,
    initialMaxStreamDataBidiRemote: 0,
    initialMaxStreamDataUni: 0,
    initialMaxStreamsBidi: 0,
    initialMaxStreamsUni: 0,
    maxDatagramFrameSize: 0,
    disableActiveMigration: false,
    initialSourceConnectionId: new Uint8Array(0),
    keepAliveIntervalMs: 0,
    partialReliability: false,
  };
}

/** A config's partial parameters over the defaults. */
export function withDefaults(p: Partial<TransportParameters> | undefined): TransportParameters {
  return { ...defaultTransportParameters(), ...p };
}

/**
 * Why the peer's parameters are invalid, or undefined when they are fine. `peer` is the role of
 * the side that sent them (messages.transport-parameters.server-only).
 */
export function checkPeerParameters(p: TransportParameters, peer: Role): string | undefined {
  if (peer === 'client') {
    for (const k of ['originalDestinationConnectionId', 'retrySourceConnectionId', 'statelessResetToken'] as const) {
      if (p[k] !== undefined) return `a client sent the server-only transport parameter ${k}`;
    }
  }
  if (p.maxUdpPayloadSize !== 0 && p.maxUdpPayloadSize < 1200) return `max_udp_payload_size ${p.maxUdpPayloadSize} is below 1200`;
  return undefined;
}
