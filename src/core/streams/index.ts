/**
 * Streams as sans-IO pieces (spec/machines/stream-send.yaml, stream-recv.yaml, RFC 9000 §2–4):
 * the sending and receiving parts of a stream as the tables' handlers, flow control with
 * auto-tuned receive windows, stream ids and limits, and the send scheduler. No I/O, no clock:
 * the connection passes frames, acknowledgments, `now` and the RTT in, and polls frames out.
 *
 * @module
 */
export { SendStream, sentFrame, DEFAULT_SEND_BUFFER, type SendStep, type SendStreamConfig, type SendWrite, type SentStreamFrame, type StreamTransmit } from './send-stream.ts';
export { RecvStream, type RecvRead, type RecvStep, type RecvStreamConfig } from './recv-stream.ts';
export {
  SendCredit, RecvWindow, type RecvWindowConfig, CONNECTION_WINDOW_FACTOR,
  DEFAULT_CONNECTION_WINDOW, DEFAULT_MAX_CONNECTION_WINDOW, DEFAULT_MAX_STREAM_WINDOW, DEFAULT_STREAM_WINDOW,
} from './flow-control.ts';
export {
  StreamIds, streamId, initiatorOf, directionOf, indexOf, hasPart,
  type Direction, type Initiator, type StreamCounts, type StreamIdsConfig, type StreamLookup, type StreamPart,
} from './stream-ids.ts';
export { Scheduler, DEFAULT_QUANTUM, DEFAULT_URGENCY, MIN_URGENCY, MAX_URGENCY } from './scheduler.ts';
export { Reassembly } from './reassembly.ts';
export { RangeSet, type Range } from './range-set.ts';
export { streamError, type StreamMachine, type StreamStep } from './step.ts';
