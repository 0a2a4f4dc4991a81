/**
 * The peer of the frame bench: what a careful engineer would write by hand for one packet
 * payload (ACK, STREAM, MAX_DATA, PING) with a DataView — no generator, no spec tables, and
 * only the checks needed not to read out of bounds. It is the ceiling the generated codec is
 * measured against.
 */
export interface HandFrames {
  ack: { largest: number; delay: number; first: number; ranges: Array<[number, number]> };
  stream: { id: number; offset: number; data: Uint8Array };
  maxData: number;
  ping: number;
}

function putVarint(dv: DataView, p: number, v: number): number {
  if (v < 0x40) { dv.setUint8(p, v); return p + 1; }
  if (v < 0x4000) { dv.setUint16(p, v | 0x4000); return p + 2; }
  if (v < 0x4000_0000) { dv.setUint32(p, (v | 0x8000_0000) >>> 0); return p + 4; }
  dv.setUint32(p, (Math.floor(v / 0x1_0000_0000) | 0xc000_0000) >>> 0);
  dv.setUint32(p + 4, v >>> 0);
  return p + 8;
}

let cursor = 0;
function getVarint(dv: DataView): number {
  const first = dv.getUint8(cursor);
  switch (first >> 6) {
    case 0: cursor += 1; return first;
    case 1: { const v = dv.getUint16(cursor) & 0x3fff; cursor += 2; return v; }
    case 2: { const v = dv.getUint32(cursor) & 0x3fff_ffff; cursor += 4; return v; }
    default: {
      const v = (dv.getUint32(cursor) & 0x3fff_ffff) * 0x1_0000_0000 + dv.getUint32(cursor + 4);
      cursor += 8;
      return v;
    }
  }
}

export function handEncodePayload(buf: Uint8Array, f: HandFrames): Uint8Array {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 0;
  p = putVarint(dv, p, 0x02);
  p = putVarint(dv, p, f.ack.largest);
  p = putVarint(dv, p, f.ack.delay);
  p = putVarint(dv, p, f.ack.ranges.length);
  p = putVarint(dv, p, f.ack.first);
  for (const [gap, len] of f.ack.ranges) { p = putVarint(dv, p, gap); p = putVarint(dv, p, len); }
  p = putVarint(dv, p, 0x0e); // STREAM with OFF and LEN
  p = putVarint(dv, p, f.stream.id);
  p = putVarint(dv, p, f.stream.offset);
  p = putVarint(dv, p, f.stream.data.length);
  buf.set(f.stream.data, p);
  p += f.stream.data.length;
  p = putVarint(dv, p, 0x10);
  p = putVarint(dv, p, f.maxData);
  p = putVarint(dv, p, 0x01);
  p = putVarint(dv, p, f.ping);
  return buf.subarray(0, p);
}

export function handDecodePayload(bytes: Uint8Array): unknown[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  cursor = 0;
  const out: unknown[] = [];
  while (cursor < bytes.length) {
    const type = getVarint(dv);
    if (type === 0x02) {
      const largest = getVarint(dv);
      const delay = getVarint(dv);
      const count = getVarint(dv);
      const first = getVarint(dv);
      const ranges = [];
      for (let i = 0; i < count; i++) ranges.push({ gap: getVarint(dv), length: getVarint(dv) });
      out.push({ type: 'ack', largest, delay, first, ranges });
    } else if (type >= 0x08 && type <= 0x0f) {
      const id = getVarint(dv);
      const offset = type & 0x04 ? getVarint(dv) : 0;
      const len = type & 0x02 ? getVarint(dv) : bytes.length - cursor;
      if (cursor + len > bytes.length) throw new RangeError('truncated');
      const data = bytes.subarray(cursor, cursor + len);
      cursor += len;
      out.push({ type: 'stream', id, offset, fin: (type & 1) === 1, data });
    } else if (type === 0x10) {
      out.push({ type: 'max_data', max: getVarint(dv) });
    } else if (type === 0x01) {
      out.push({ type: 'ping', sequence: getVarint(dv) });
    } else {
      throw new RangeError(`unknown frame type ${type}`);
    }
  }
  return out;
}
