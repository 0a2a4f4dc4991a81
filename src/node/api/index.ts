/**
 * The public Node API of JetStreamProto: `listen` and `connect`, connections, streams as Node
 * Duplex streams, validated config builders, logging, qlog and typed errors; session tickets
 * and 0-RTT (`connect({ session, earlyData })`, `listen({ tickets })`).
 *
 * ```ts
 * import { listen, connect } from 'jetstreamproto';
 * const server = await listen({ host: '127.0.0.1', port: 0, staticKey: secret });
 * server.on('connection', (conn) => conn.on('stream', (s) => s.pipe(s)));
 * const conn = await connect({ host: '127.0.0.1', port: server.address().port, serverKey });
 * ```
 *
 * @module
 */
export { listen, JspServer, type ListenOptions, type JspServerEvents, type JspServerStats, type JspTicketStats, type ServerCloseOptions } from './server.ts';
export { connect, type ConnectOptions } from './client.ts';
export {
  JspConnection, type CloseOptions, type JspCloseInfo, type JspConnectionEvents, type JspConnectionStats, type JspEarlyDataInfo, type JspEarlyDataState,
  type JspHandshakeInfo, type OpenStreamOptions,
} from './connection.ts';
export { JspStream, type JspStreamOptions } from './stream.ts';
export { JspAbortError, JspConnectError, JspConnectionClosedError, JspError, JspStreamResetError, JspStreamStoppedError, JspTimeoutError } from './errors.ts';
export type { KeyUpdate, PacketCounters } from './observe.ts';
export type { RuntimeOptions } from './setup.ts';
export {
  ConnectionConfig, ConnectionConfigBuilder, ServerConfig, ServerConfigBuilder, isBuiltConfig, LOG_LEVELS, TICKET_DEFAULTS,
  type CommonSettings, type ConnectionOptionsInput, type ConnectionSettings, type LogLevel, type ServerOptionsInput, type ServerSettings,
  type TicketOptions, type TicketSettings,
} from '../config.ts';
// Session tickets and 0-RTT (docs/resumption.md): the client's stores and ticket (de)serialization,
// the server's shareable keys, anti-replay records and policy.
export {
  FileTicketStore, TicketFormatError, TicketStoreError, checkClientTicket, parseTicket, serializeTicket, ticketFromJSON, ticketToJSON,
} from '../ticket-store.ts';
export { FileReplayRecord, type FileReplayRecordOptions } from '../replay-record.ts';
export {
  AntiReplay, MemoryTicketStore, ServerTickets, TicketKeys, ticketUsable,
  type AntiReplayOptions, type ClientTicket, type ReplayCheck, type ReplayRecord, type ServerTicketsOptions, type TicketKeysOptions, type TicketStore,
} from '../../core/tickets/index.ts';
export { Logger, jsonLinesSink, prettySink, loggerFromEnv, type LogRecord, type LogSink } from '../log.ts';
export { generateKeyPair, readPublicKey, readSecretKey, KeyFileError, type StaticKeyPair } from './keys.ts';
