/**
 * Session tickets and 0-RTT resumption (spec/crypto.yaml: crypto.ticket.*, crypto.anti-replay.*,
 * crypto.early-data.*): the server's rotating ticket keys, its anti-replay record and ticket
 * policy, the client's ticket store, and the resumption steps of the key schedule. Sans-IO.
 *
 * @module
 */
export { TicketKeys, TICKET_NONCE_LENGTH, type TicketKeysOptions, type TicketOpenFailure } from './ticket-keys.ts';
export { AntiReplay, type AntiReplayOptions, type ReplayCheck, type ReplayRecord } from './anti-replay.ts';
export {
  ServerTickets, clientTicket, loweredLimit,
  type EarlyDataRejection, type ServerTicketsOptions, type TicketContext, type TicketDecision, type TicketOffer, type TicketRejection,
} from './server.ts';
export { MemoryTicketStore, obfuscatedAge, ticketUsable, type ClientTicket, type TicketStore } from './store.ts';
export { clientEarlySecret, earlySecret, periodTicketKeySecret, resumedSecrets, ticketKeyMaterial, ticketPsk, type ResumedSecrets } from './schedule.ts';
