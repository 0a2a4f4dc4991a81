/**
 * The sans-IO connection and endpoint (DESIGN.md "Sans-IO core"). See connection.ts for what this
 * version carries.
 *
 * @module
 */
export { Connection, MIN_INITIAL_DATAGRAM, type Address, type ConnectionEvent, type ConnectionOptions, type ConnectionState, type Transmit } from './connection.ts';
export { type StreamConfig, type StreamEvent, type StreamRead, type StreamStats } from './streams.ts';
export { Endpoint, type EndpointConfig, type EndpointStats } from './endpoint.ts';
export { CID_LENGTH, splitDatagram } from './headers.ts';
