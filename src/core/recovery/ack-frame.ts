/**
 * ACK frame values (the generated {@link AckFrame}) to and from packet-number ranges, exactly as
 * RFC 9000 §19.3.1 lays them out, and the ACK Delay field's scaling (§19.3, §18.2).
 *
 * Ranges go from the largest down. The first range is `largest − first_ack_range … largest`; each
 * further range i is found from the smallest number of the range before it:
 *
 * ```
 * largest_i  = smallest_{i-1} − gap_i − 2
 * smallest_i = largest_i − length_i
 * ```
 *
 * so `gap` counts the unacknowledged numbers between two ranges minus one and `length` the
 * numbers of the range minus one. A computed number below 0 is a FRAME_ENCODING_ERROR (§19.3.1).
 *
 * @module
 */
import { FrameEncodingError } from '../../gen/errors.ts';
import type { AckFrame, AckRange, EcnCounts } from '../../gen/frames.ts';
import { MAX_ACK_RANGES, MAX_ACK_DELAY_EXPONENT } from '../../gen/constants.ts';
import type { PacketRange } from './ranges.ts';

/**
 * An ACK frame whose ranges reach below packet number 0 (RFC 9000 §19.3.1; spec requirement
 * `frames.ack.first-range` for the first range). It is a {@link FrameEncodingError}, so the
 * connection closes with FRAME_ENCODING_ERROR; `rangeIndex` says which range (-1: the first range,
 * 0…: `ack_ranges[i]`) and `field` whether its gap or its length went negative.
 */
export class AckRangeError extends FrameEncodingError {
  override name = 'AckRangeError';
  /** -1 for the first ACK range, else the index in `ack_ranges`. */
  readonly rangeIndex: number;
  /** The field whose value made a packet number negative. */
  readonly field: 'first_ack_range' | 'gap' | 'length';

  constructor(rangeIndex: number, field: 'first_ack_range' | 'gap' | 'length', reason: string) {
    super(reason);
    this.rangeIndex = rangeIndex;
    this.field = field;
  }
}

/**
 * The ranges an ACK frame acknowledges, largest first (RFC 9000 §19.3.1). Throws
 * {@link AckRangeError} (FRAME_ENCODING_ERROR) when a range reaches below 0.
 */
export function ackFrameRanges(frame: AckFrame): PacketRange[] {
  const largest = frame.largestAcknowledged;
  let smallest = largest - frame.firstAckRange;
  if (smallest < 0) {
    throw new AckRangeError(-1, 'first_ack_range', `ACK first_ack_range ${frame.firstAckRange} reaches below 0 from largest ${largest} (frames.ack.first-range)`);
  }
  const out: PacketRange[] = [{ start: smallest, end: largest }];
  for (let i = 0; i < frame.ackRanges.length; i++) {
    const { gap, length } = frame.ackRanges[i];
    const end = smallest - gap - 2;
    if (end < 0) throw new AckRangeError(i, 'gap', `ACK range ${i}: gap ${gap} below smallest ${smallest} reaches below 0`);
    const start = end - length;
    if (start < 0) throw new AckRangeError(i, 'length', `ACK range ${i}: length ${length} below largest ${end} reaches below 0`);
    out.push({ start, end });
    smallest = start;
  }
  return out;
}

/**
 * The ACK frame acknowledging `ranges` (largest first, disjoint, not touching), with the ACK
 * Delay field already scaled (see {@link encodeAckDelay}) and optional ECN counts. At most
 * max_ack_ranges + 1 ranges fit one frame. Misuse (unsorted, touching, too many ranges) is a
 * RangeError.
 */
export function ackFrameFromRanges(ranges: readonly PacketRange[], ackDelay: number, ecn?: EcnCounts): AckFrame {
  if (ranges.length === 0) throw new RangeError('ackFrameFromRanges: no ranges to acknowledge');
  if (ranges.length > MAX_ACK_RANGES + 1) throw new RangeError(`ackFrameFromRanges: ${ranges.length} ranges, at most max_ack_ranges + 1 = ${MAX_ACK_RANGES + 1}`);
  const first = ranges[0];
  checkRange(first, 0);
  const ackRanges: AckRange[] = [];
  let smallest = first.start;
  for (let i = 1; i < ranges.length; i++) {
    const r = ranges[i];
    checkRange(r, i);
    // gap = unacknowledged numbers between the ranges − 1 = smallest_prev − largest − 2 (>= 0).
    const gap = smallest - r.end - 2;
    if (gap < 0) throw new RangeError(`ackFrameFromRanges: range ${i} (${r.start} … ${r.end}) is not below the previous one by a gap (previous smallest ${smallest})`);
    ackRanges.push({ gap, length: r.end - r.start });
    smallest = r.start;
  }
  // Same shape as the generated decoder's value (`ecn` present, undefined without counts).
  const counts = ecn ? { ect0: ecn.ect0, ect1: ecn.ect1, ecnCe: ecn.ecnCe } : undefined;
  return { type: 'ack', largestAcknowledged: first.end, ackDelay, firstAckRange: first.end - first.start, ackRanges, ecn: counts };
}

function checkRange(r: PacketRange, i: number): void {
  if (!(Number.isSafeInteger(r.start) && Number.isSafeInteger(r.end) && r.start >= 0 && r.start <= r.end)) {
    throw new RangeError(`ackFrameFromRanges: range ${i} must be safe integers 0 <= start <= end, got ${r.start} … ${r.end}`);
  }
}

/**
 * The ACK Delay field for a delay of `delayMs` milliseconds (RFC 9000 §19.3): microseconds shifted
 * right by our ack_delay_exponent, truncated (never reporting more delay than was taken).
 */
export function encodeAckDelay(delayMs: number, exponent: number): number {
  checkExponent(exponent);
  // + 1 ns: times are float ms, and 101.6 − 100 is 1.59999…; truncate the noise, not a microsecond.
  const micros = Math.max(0, Math.floor(delayMs * 1000 + 1e-3));
  return Math.floor(micros / 2 ** exponent);
}

/** The delay in milliseconds an ACK Delay field stands for, under the sender's ack_delay_exponent (§19.3). */
export function decodeAckDelay(field: number, exponent: number): number {
  checkExponent(exponent);
  return (field * 2 ** exponent) / 1000;
}

function checkExponent(exponent: number): void {
  if (!(Number.isInteger(exponent) && exponent >= 0 && exponent <= MAX_ACK_DELAY_EXPONENT)) {
    throw new RangeError(`ack_delay_exponent must be an integer in 0..max_ack_delay_exponent (${MAX_ACK_DELAY_EXPONENT}), got ${exponent}`);
  }
}
