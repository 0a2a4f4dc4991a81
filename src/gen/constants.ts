// GENERATED from spec/constants.yaml (sha256 6157bce807aa6e9a) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * Constants and limits (spec/constants.yaml, version 1).
 *
 * Every number the protocol names: versions, sizes, limits and defaults. Other spec files
 * refer to these by id (e.g. `max: max_stream_offset`), so a limit is written once.
 * Values larger than 2^53 - 1 are written as strings so that no YAML reader rounds them.
 *
 * @module
 */

/**
 * The version number of JSP v1 ("JSP" followed by 0x01), carried in long headers.
 *
 * Unit: version.
 */
export const VERSION_1 = 0x4a535001;

/**
 * The reserved version 0 that marks a Version Negotiation packet.
 *
 * Unit: version.
 *
 * - MUST NOT (`constants.version.zero-reserved`): An endpoint MUST NOT use version 0 for anything but Version Negotiation.
 */
export const VERSION_NEGOTIATION = 0x0;

/** Largest value a variable-length integer (62 bits) can carry. */
export const MAX_VARINT = 4611686018427387903n;

/**
 * Largest counter JSP v1 uses (2^53 - 1) for stream offsets, flow-control limits, packet
 * numbers, sequence numbers and error codes. Every implementation can hold it exactly,
 * including in an IEEE-754 double; 8 PiB per stream is far beyond any transfer.
 *
 * - MUST (`constants.max-value`): A receiver MUST treat a stream offset, flow-control limit, packet number, sequence number or error code above max_value as a decode error (value out of range).
 */
export const MAX_VALUE = 9007199254740991;

/**
 * Largest offset of a byte in a stream, and so the largest final size.
 *
 * Unit: bytes.
 */
export const MAX_STREAM_OFFSET = 9007199254740991;

/**
 * Largest stream count (2^51); stream ids are index * 4 + type, so the largest id stays under 2^53.
 *
 * Unit: streams.
 */
export const MAX_STREAMS = 2251799813685248;

/** Largest stream id (2^53 - 1). */
export const MAX_STREAM_ID = 9007199254740991;

/**
 * Longest connection ID.
 *
 * Unit: bytes.
 *
 * - MUST (`constants.cid.max-length`): A connection ID longer than max_cid_length bytes MUST be rejected.
 */
export const MAX_CID_LENGTH = 20;

/**
 * Shortest Destination Connection ID a client may choose for its first Initial packet.
 *
 * Unit: bytes.
 */
export const MIN_INITIAL_DCID_LENGTH = 8;

/**
 * Length of a stateless reset token.
 *
 * Unit: bytes.
 */
export const STATELESS_RESET_TOKEN_LENGTH = 16;

/**
 * Length of the data of PATH_CHALLENGE and PATH_RESPONSE.
 *
 * Unit: bytes.
 */
export const PATH_CHALLENGE_LENGTH = 8;

/**
 * Length of the integrity tag that ends a Retry packet.
 *
 * Unit: bytes.
 */
export const RETRY_INTEGRITY_TAG_LENGTH = 16;

/**
 * Longest truncated packet number in a header.
 *
 * Unit: bytes.
 */
export const MAX_PACKET_NUMBER_LENGTH = 4;

/**
 * Most additional ACK ranges one ACK frame may carry; bounds the memory of a decoder.
 *
 * Unit: ranges.
 *
 * - MUST (`constants.ack.max-ranges`): A decoder MUST reject an ACK frame with more than max_ack_ranges additional ranges.
 */
export const MAX_ACK_RANGES = 256;

/**
 * Longest encoded close reason.
 *
 * Unit: bytes.
 */
export const MAX_REASON_LENGTH = 1024;

/**
 * Longest session ticket.
 *
 * Unit: bytes.
 */
export const MAX_TICKET_LENGTH = 2048;

/**
 * Longest ticket nonce.
 *
 * Unit: bytes.
 */
export const MAX_TICKET_NONCE_LENGTH = 255;

/**
 * Longest lifetime of a session ticket (7 days).
 *
 * Unit: seconds.
 *
 * - MUST (`constants.ticket.max-lifetime`): A server MUST NOT issue a ticket with a lifetime above 604800 seconds (7 days).
 */
export const MAX_TICKET_LIFETIME = 604800;

/**
 * Longest address-validation token in an Initial or Retry packet.
 *
 * Unit: bytes.
 */
export const MAX_TOKEN_LENGTH = 1024;

/**
 * Most versions a Version Negotiation packet lists.
 *
 * Unit: versions.
 */
export const MAX_VERSIONS = 64;

/**
 * Largest offset plus length of handshake message bytes in one encryption level; handshake
 * messages are small, and a larger value signals an attack.
 *
 * Unit: bytes.
 */
export const MAX_HANDSHAKE_OFFSET = 65535;

/**
 * Longest single handshake message.
 *
 * Unit: bytes.
 */
export const MAX_HANDSHAKE_MESSAGE_LENGTH = 16384;

/**
 * Smallest UDP payload every path must carry; datagrams with an Initial packet are padded to it.
 *
 * Unit: bytes.
 *
 * - MUST (`constants.initial.padding`): A client MUST pad every UDP datagram that carries an Initial packet to at least min_udp_payload_size bytes.
 */
export const MIN_UDP_PAYLOAD_SIZE = 1200;

/**
 * Largest UDP payload (IPv6 jumbograms aside).
 *
 * Unit: bytes.
 */
export const MAX_UDP_PAYLOAD_SIZE = 65527;

/**
 * Longest encoded control message (protobuf) that a decoder accepts.
 *
 * Unit: bytes.
 */
export const MAX_MESSAGE_SIZE = 16384;

/**
 * Most elements of a repeated field in a control message, unless the field says otherwise.
 *
 * Unit: elements.
 */
export const MAX_REPEATED = 64;

/** Largest ack_delay_exponent transport parameter. */
export const MAX_ACK_DELAY_EXPONENT = 20;

/** ack_delay_exponent when the transport parameter is absent. */
export const DEFAULT_ACK_DELAY_EXPONENT = 3;

/**
 * Largest max_ack_delay transport parameter (below 2^14).
 *
 * Unit: milliseconds.
 */
export const MAX_MAX_ACK_DELAY = 16383;

/**
 * max_ack_delay when the transport parameter is absent.
 *
 * Unit: milliseconds.
 */
export const DEFAULT_MAX_ACK_DELAY = 25;

/**
 * active_connection_id_limit when the transport parameter is absent, and its minimum.
 *
 * Unit: connection IDs.
 */
export const DEFAULT_ACTIVE_CONNECTION_ID_LIMIT = 2;

/**
 * Before it has validated the client's address, a server sends at most this many times the
 * bytes it has received from that address.
 *
 * - MUST (`constants.amplification.limit`): Before address validation a server MUST NOT send more than amplification_factor times the bytes it received.
 */
export const AMPLIFICATION_FACTOR = 3;

/**
 * kPacketThreshold (RFC 9002 §6.1.1): a packet is deemed lost when a packet sent this many
 * packet numbers after it is acknowledged. RFC 9002 advises against a smaller value; a larger
 * one tolerates more reordering.
 *
 * Unit: packets.
 */
export const PACKET_THRESHOLD = 3;

/**
 * kTimeThreshold (RFC 9002 §6.1.2) is time_threshold_numerator / time_threshold_denominator
 * (9/8): a packet is deemed lost when a later packet is acknowledged and it was sent more than
 * kTimeThreshold · max(smoothed_rtt, latest_rtt) ago (never less than timer_granularity).
 */
export const TIME_THRESHOLD_NUMERATOR = 9;

/** The denominator of kTimeThreshold (see time_threshold_numerator). */
export const TIME_THRESHOLD_DENOMINATOR = 8;

/**
 * kGranularity (RFC 9002 §6.1.2): the timer granularity; loss delay and PTO never go below it.
 *
 * Unit: milliseconds.
 */
export const TIMER_GRANULARITY = 1;

/**
 * kInitialRtt (RFC 9002 §6.2.2): the RTT assumed before the first sample (smoothed_rtt; rttvar
 * is half of it), which makes the first probe timeout 999 ms.
 *
 * Unit: milliseconds.
 */
export const INITIAL_RTT = 333;

/**
 * kPersistentCongestionThreshold (RFC 9002 §7.6.1): losses spanning longer than this many
 * probe timeout periods (without max_ack_delay backoff) are persistent congestion, which
 * collapses the congestion window to the minimum.
 *
 * Unit: PTOs.
 */
export const PERSISTENT_CONGESTION_THRESHOLD = 3;

/**
 * kLossReductionFactor (RFC 9002 §7.3.2, B.1) is loss_reduction_numerator /
 * loss_reduction_denominator (1/2): the congestion window multiplier on a congestion event.
 */
export const LOSS_REDUCTION_NUMERATOR = 1;

/** The denominator of kLossReductionFactor (see loss_reduction_numerator). */
export const LOSS_REDUCTION_DENOMINATOR = 2;
