/**
 * The JSP handshake (spec/crypto.yaml, spec/machines/handshake.yaml): Noise NK / IK (and their
 * HFS hybrids with ML-KEM-768), with the offer bound into the prologue, HelloRetryRequest and
 * its cookie, and the 1-RTT key schedule. Sans-IO: handshake records in, records and keys out;
 * the connection carries the records in HANDSHAKE frames of Initial packets.
 *
 * @module
 */
export { ClientHandshake, type EarlyKeys, type ClientAction, type ClientEvent, type ClientGuard, type ClientState, type ClientStep } from './client.ts';
export { ServerHandshake, type ServerAction, type ServerEvent, type ServerGuard, type ServerState, type ServerStep } from './server.ts';
export type { ClientHandshakeConfig, ClientResumption, ServerHandshakeConfig, CommonHandshakeConfig, GroupId, Rng, SuiteId } from './config.ts';
export { SUPPORTED_VERSIONS } from './config.ts';
export { deriveKeys, wipeKeys, type HandshakeKeys } from './keys.ts';
export { drainRecords, encodeRecord, RecordReader } from './records.ts';
export { HandshakeError, type Role, type Step } from './step.ts';
export { defaultTransportParameters, checkPeerParameters, withDefaults } from './params.ts';
export { noiseProtocolName } from './noise.ts';
export { StaticKeySet, serverKeyId, type StaticKey } from './static-keys.ts';
