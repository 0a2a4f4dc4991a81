/**
 * The receiving part (src/core/streams/recv-stream.ts, reassembly.ts, range-set.ts): reassembly
 * of segmented, duplicated and reordered bytes into the exact byte string, never buffering more
 * than the window (machines.stream-recv.buffer-bound, machines.stream-recv.in-order); the final
 * size rules (machines.stream-recv.final-size) and the flow-control limits
 * (machines.stream-recv.flow-limit) with their typed errors; STREAM_SKIP (machines.stream-recv.skip,
 * machines.stream-recv.skip-monotonic); reset and stop.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FinalSizeError, FlowControlError } from '../../src/gen/errors.ts';
import { RangeSet, Reassembly, RecvStream, RecvWindow } from '../../src/core/streams/index.ts';

const RUNS = Number(process.env.JSP_PROPERTY_RUNS ?? 300);

function recv(window = 1000, connWindow = 1 << 30): RecvStream {
  return new RecvStream({ id: 4, window: new RecvWindow({ window }), connection: new RecvWindow({ window: connWindow }) });
}
const bytes = (...b: number[]) => Uint8Array.from(b);

test('RangeSet agrees with a set of numbers under random adds and removes', () => {
  const op = fc.record({ add: fc.boolean(), start: fc.nat(60), len: fc.nat(15) });
  fc.assert(fc.property(fc.array(op, { maxLength: 40, size: 'max' }), fc.nat(70), fc.nat(20), (ops, qs, ql) => {
    const r = new RangeSet();
    const naive = new Set<number>();
    for (const o of ops) {
      if (o.add) { r.add(o.start, o.start + o.len); for (let i = o.start; i < o.start + o.len; i++) naive.add(i); }
      else { r.remove(o.start, o.start + o.len); for (let i = o.start; i < o.start + o.len; i++) naive.delete(i); }
    }
    const ranges = [...r];
    for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i - 1].end < ranges[i].start, 'disjoint, not adjacent, ascending');
    const flat = new Set(ranges.flatMap((x) => Array.from({ length: x.end - x.start }, (_, k) => x.start + k)));
    assert.equal([...flat].sort((a, b) => a - b), [...naive].sort((a, b) => a - b));
    assert.is(r.size, naive.size);
    let covered = true;
    for (let i = qs; i < qs + ql; i++) covered &&= naive.has(i);
    assert.is(r.covers(qs, qs + ql), covered);
    let end = qs;
    while (naive.has(end)) end++;
    assert.is(r.contiguousEnd(qs), end);
    const gaps = r.gaps(qs, qs + ql).flatMap((g) => Array.from({ length: g.end - g.start }, (_, k) => g.start + k));
    assert.equal(gaps, Array.from({ length: ql }, (_, k) => qs + k).filter((x) => !naive.has(x)));
  }), { numRuns: RUNS * 3 });
});

// machines.stream-recv.buffer-bound, machines.stream-recv.in-order
test('reassembly: random segmentation, duplication and reordering give exactly the bytes, never buffering beyond the window', () => {
  const arb = fc.record({
    data: fc.uint8Array({ minLength: 0, maxLength: 3000, size: 'max' }),
    cuts: fc.array(fc.nat(3000), { maxLength: 40, size: 'max' }),
    dups: fc.array(fc.tuple(fc.nat(3000), fc.integer({ min: 1, max: 400 })), { maxLength: 15, size: 'max' }),
    seed: fc.integer(),
    readSizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 10, size: 'max' }),
    window: fc.integer({ min: 1, max: 1200 }),
  });
  fc.assert(fc.property(arb, ({ data, cuts, dups, seed, readSizes, window }) => {
    const bound = window;
    const rs = new RecvStream({ window: new RecvWindow({ window, maxWindow: window }), connection: new RecvWindow({ window: 1 << 30 }) });
    const cutPoints = [...new Set([0, data.length, ...cuts.filter((c) => c < data.length)])].sort((a, b) => a - b);
    const segs: { offset: number; end: number }[] = [];
    for (let i = 1; i < cutPoints.length; i++) segs.push({ offset: cutPoints[i - 1], end: cutPoints[i] });
    for (const [o, l] of dups) if (data.length) segs.push({ offset: o % data.length, end: Math.min(data.length, (o % data.length) + l) });
    if (!data.length) segs.push({ offset: 0, end: 0 });
    // A seeded shuffle.
    let s = seed >>> 0;
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = segs.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [segs[i], segs[j]] = [segs[j], segs[i]]; }
    const out: number[] = [];
    let pending = segs;
    let fin = false;
    for (let round = 0; !fin && round < 100_000; round++) {
      // The peer sends some segments, cut at the limit flow control gives (the rest waits).
      const later: typeof segs = [];
      let pause = false;
      for (const g of pending) {
        const end = Math.min(g.end, rs.window.limit);
        if (pause || (end <= g.offset && g.end > g.offset)) { later.push(g); continue; }
        const step = rs.onStream(g.offset, data.subarray(g.offset, end), end === data.length);
        assert.is(step.error, undefined, `segment [${g.offset}, ${end}) rejected: ${rs.error?.message}`);
        assert.ok(rs.buffered <= bound, `buffered ${rs.buffered} > bound ${bound}`);
        if (end < g.end) later.push({ offset: end, end: g.end });
        pause = rand() < 0.3;
      }
      pending = later;
      const r = rs.read(readSizes[round % readSizes.length]);
      out.push(...r.data);
      fin = r.fin;
      rs.pollMaxStreamData(round, 0);
    }
    assert.ok(fin, 'the stream ended');
    assert.is(rs.state, 'data_read');
    assert.equal(Uint8Array.from(out), data);
    assert.is(rs.buffered, 0);
  }), { numRuns: RUNS });
});

test('reassembly keeps each byte once and reads in order across overlaps', () => {
  const r = new Reassembly(100);
  r.insert(5, bytes(5, 6, 7));
  r.insert(0, bytes(0, 1, 2));
  r.insert(2, bytes(2, 3, 4, 5, 6));
  assert.is(r.buffered, 8);
  assert.equal([...r.read(4)], [0, 1, 2, 3]);
  assert.equal([...r.read()], [4, 5, 6, 7]);
  r.insert(1, bytes(1, 2, 3));
  assert.is(r.buffered, 0, 'below the read offset: dropped');
  assert.throws(() => r.insert(50, new Uint8Array(60)), /beyond the bound/);
});

// machines.stream-recv.final-size
test('final size: data beyond it, a changed FIN, a FIN below received data, a reset or skip past it are FINAL_SIZE_ERROR', () => {
  const cases: [string, (s: RecvStream) => unknown, string][] = [
    ['data beyond', (s) => { s.onStream(1, bytes(1, 2), true); return s.onStream(3, bytes(3), false); }, 'size_known'],
    ['FIN moved', (s) => { s.onStream(5, bytes(1, 2), true); return s.onStream(3, bytes(1), true); }, 'size_known'],
    ['FIN below received', (s) => { s.onStream(0, new Uint8Array(10), false); return s.onStream(0, new Uint8Array(5), true); }, 'recv'],
    ['reset with another size', (s) => { s.onStream(0, bytes(1), true); return s.onReset(0, 2); }, 'data_recvd'],
    ['reset below received', (s) => { s.onStream(0, new Uint8Array(10), false); return s.onReset(0, 9); }, 'recv'],
    ['skip past final size', (s) => { s.onStream(9, bytes(1), true); return s.onSkip(11); }, 'size_known'],
    ['after reset', (s) => { s.onReset(0, 4); return s.onStream(4, bytes(1), false); }, 'reset_recvd'],
  ];
  for (const [name, f, from] of cases) {
    const s = recv();
    const step = f(s) as { state: string; next: string; error?: string; guard?: string };
    assert.is(step.state, from, name);
    assert.is(step.next, 'failed', name);
    assert.is(step.error, 'FINAL_SIZE_ERROR', name);
    assert.is(step.guard, 'bad_final_size', name);
    assert.instance(s.error, FinalSizeError, name);
    assert.match(s.error!.message, /stream 4: .*\(recv_stream, state \w+, event \w+\)/, name);
  }
});

// machines.stream-recv.flow-limit
test('flow control: beyond the stream limit or the connection credit is FLOW_CONTROL_ERROR; repeats cost nothing', () => {
  const s = recv(100);
  assert.is(s.onStream(0, new Uint8Array(100), false).next, 'recv', 'up to the limit is fine');
  assert.is(s.onStream(50, new Uint8Array(50), false).next, 'recv', 'a repeat adds nothing');
  assert.is(s.onStream(100, bytes(1), false).error, 'FLOW_CONTROL_ERROR');
  assert.instance(s.error, FlowControlError);

  const conn = new RecvWindow({ window: 150 });
  const a = new RecvStream({ window: new RecvWindow({ window: 100 }), connection: conn });
  const b = new RecvStream({ window: new RecvWindow({ window: 100 }), connection: conn });
  a.onStream(0, new Uint8Array(100), false);
  assert.is(conn.received, 100);
  assert.is(b.onStream(0, new Uint8Array(50), false).next, 'recv');
  assert.is(b.onReset(0, 51).error, 'FLOW_CONTROL_ERROR', 'a final size counts against the connection too');
  const c = new RecvStream({ window: new RecvWindow({ window: 100 }), connection: new RecvWindow({ window: 10 }) });
  assert.is(c.onSkip(11).error, 'FLOW_CONTROL_ERROR', 'skipped bytes count as received');
  assert.is(recv(100).onStream(95, new Uint8Array(10), true).guard, 'over_limit');
});

test('MAX_STREAM_DATA comes when half the window is read; never after the final size is known', () => {
  const s = recv(100);
  s.onStream(0, new Uint8Array(60), false);
  assert.is(s.pollMaxStreamData(0, 10), undefined, 'nothing read yet');
  s.read(49);
  assert.is(s.pollMaxStreamData(1, 10), undefined, 'less than half read');
  s.read(1);
  assert.is(s.pollMaxStreamData(2, 10), 150);
  assert.is(s.pollMaxStreamData(3, 10), undefined, 'once');
  s.onStream(60, new Uint8Array(10), true);
  s.read();
  assert.is(s.pollMaxStreamData(4, 10), undefined);
});

// machines.stream-recv.skip, machines.stream-recv.skip-monotonic
test('STREAM_SKIP: buffered bytes below it are dropped, the read reports the range, stale skips change nothing, a skip can complete the stream', () => {
  const s = recv();
  s.onStream(0, bytes(0, 1, 2), false);
  s.onStream(8, bytes(8, 9), true);
  assert.equal([...s.read(2).data], [0, 1]);
  let step = s.onSkip(6);
  assert.is(step.guard, 'ok');
  assert.equal(step.actions, ['skip_data']);
  assert.is(s.buffered, 2, 'byte 2 (unread, below the skip) is gone');
  step = s.onSkip(4);
  assert.is(step.guard, 'stale');
  assert.equal(step.actions, []);
  assert.is(s.skipOffset, 6);
  const r = s.read();
  assert.equal(r.skipped, { start: 2, end: 6 });
  assert.equal([...r.data], [], 'bytes 6 and 7 have not arrived');
  step = s.onSkip(8);
  assert.is(step.guard, 'complete');
  assert.is(step.next, 'data_recvd');
  const last = s.read();
  assert.equal(last.skipped, { start: 6, end: 8 });
  assert.equal([...last.data], [8, 9]);
  assert.is(last.fin, true);
  assert.is(s.state, 'data_read');
  assert.is(s.window.consumed, 10, 'skipped bytes returned their credit');
});

test('reset: buffered bytes are dropped, the read reports the code once; the credit up to the final size returns', () => {
  const conn = new RecvWindow({ window: 1000 });
  const s = new RecvStream({ window: new RecvWindow({ window: 100 }), connection: conn });
  s.onStream(0, new Uint8Array(10), false);
  s.onStream(20, new Uint8Array(10), false);
  const step = s.onReset(77, 40);
  assert.equal(step.actions, ['set_final_size', 'discard_data']);
  assert.is(s.buffered, 0);
  assert.is(conn.received, 40);
  assert.is(conn.consumed, 40);
  assert.is(s.onStream(30, new Uint8Array(10), true).guard, 'ok', 'late data agreeing with the final size is fine');
  const r = s.read();
  assert.is(r.resetCode, 77);
  assert.is(r.step.next, 'reset_read');
  assert.is(s.read().step.ignored, true);
});

test('stop: STOP_SENDING once, data that still arrives is counted and dropped', () => {
  const conn = new RecvWindow({ window: 1000 });
  const s = new RecvStream({ window: new RecvWindow({ window: 100 }), connection: conn });
  s.onStream(0, new Uint8Array(10), false);
  assert.equal(s.stop(3).actions, ['send_stop_sending', 'discard_data']);
  assert.is(s.pollStopSending(), 3);
  assert.is(s.pollStopSending(), undefined);
  s.stopSendingLost();
  assert.is(s.pollStopSending(), 3, 'sent again after a loss');
  s.onStream(10, new Uint8Array(20), false);
  assert.is(s.buffered, 0);
  assert.is(conn.consumed, 30, 'dropped bytes return their connection credit');
  assert.is(s.read().data.length, 0);
  assert.is(s.onReset(1, 30).next, 'reset_recvd');
  assert.is(s.pollStopSending(), undefined, 'not after the reset');
});

test('a terminal part ignores everything', () => {
  const s = recv();
  s.onStream(0, bytes(1), true);
  s.read();
  assert.is(s.state, 'data_read');
  for (const step of [s.onStream(5, bytes(1), true), s.onReset(0, 9), s.onSkip(9), s.stop(1), s.read().step]) {
    assert.is(step.ignored, true);
    assert.is(step.next, 'data_read');
  }
});

test.run();
