/**
 * JetStreamProto — public entry point.
 *
 * - The Node API (`src/node/api`): `listen` and `connect`, connections, streams as Node Duplex
 *   streams, config builders, logging, key files and typed errors.
 * - The wire layer: the generated codec for every packet, frame and control message of spec/,
 *   and the Reader/Writer and typed errors it is built on.
 *
 * @packageDocumentation
 */
export * from './node/api/index.ts';
export * from './codec/index.ts';
export * from './gen/index.ts';
