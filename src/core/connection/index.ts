/**
 * The sans-IO connection and endpoint (DESIGN.md "Sans-IO core"). See connection.ts for what this
 * version carries.
 *
 * @module
 */
export { Connection, MIN_INITIAL_DATAGRAM, type Address, type ConnectionEvent, type ConnectionOptions, type ConnectionState, type Transmit } from './connection.ts';
export { MAX_REASON_BYTES, type CloseOptions, type LifecycleStep, type ShutdownOptions } from './close.ts';
export { type StreamConfig, type StreamEvent, type StreamRead, type StreamStats } from './streams.ts';
export { DEFAULT_HANDSHAKE_RATE, Endpoint, type EndpointConfig, type EndpointEvent, type EndpointStats } from './endpoint.ts';
export { TokenBucket, type DatagramRate, type HandshakeRate } from './rate-limit.ts';
export { SUPPORTED_VERSIONS } from './version.ts';
export { CID_LENGTH, splitDatagram } from './headers.ts';
export { type TraceEvent, type TraceSink } from './trace.ts';
