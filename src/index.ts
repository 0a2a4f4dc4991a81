/**
 * JetStreamProto — public entry point.
 *
 * Today it exports the wire layer: the generated codec for every packet, frame and control
 * message of spec/, and the Reader/Writer and typed errors it is built on. The connection API
 * (`listen`, `connect`) arrives with the transport.
 *
 * @packageDocumentation
 */
export * from './codec/index.ts';
export * from './gen/index.ts';
