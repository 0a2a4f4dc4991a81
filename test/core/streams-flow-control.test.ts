/**
 * Flow control (src/core/streams/flow-control.ts) and the sending parts that obey it: under any
 * interleaving of writes, skips, losses, acknowledgments and limit updates, no stream sends (or
 * skips) past its MAX_STREAM_DATA and the streams together never pass MAX_DATA
 * (machines.stream-send.flow-limit); blocked frames go out once per limit
 * (machines.stream-send.blocked). Receive windows: an update when half the window is consumed,
 * auto-tuning that doubles the window when updates come less than two RTTs apart and never goes
 * past the maximum, and that lets one stream move far more than a fixed window would.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CONNECTION_WINDOW_FACTOR, RecvStream, RecvWindow, SendCredit, SendStream, sentFrame, type SentStreamFrame,
} from '../../src/core/streams/index.ts';

const RUNS = Number(process.env.JSP_PROPERTY_RUNS ?? 300);

const op = fc.oneof(
  fc.record({ k: fc.constant('write' as const), s: fc.nat(2), n: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ k: fc.constant('poll' as const), s: fc.nat(2), max: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ k: fc.constant('maxStream' as const), s: fc.nat(2), v: fc.nat(3000) }),
  fc.record({ k: fc.constant('maxData' as const), v: fc.nat(5000) }),
  fc.record({ k: fc.constant('lose' as const), i: fc.nat(50) }),
  fc.record({ k: fc.constant('ack' as const), i: fc.nat(50) }),
  fc.record({ k: fc.constant('skip' as const), s: fc.nat(2), f: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ k: fc.constant('finish' as const), s: fc.nat(2) }),
);

// machines.stream-send.flow-limit, machines.stream-send.blocked
test('a sender never exceeds a stream limit or the connection limit, sends the bytes written, and says when it is blocked', () => {
  fc.assert(fc.property(fc.array(op, { maxLength: 80, size: 'max' }), fc.array(fc.nat(500), { minLength: 3, maxLength: 3 }), fc.nat(800), (ops, limits, connLimit) => {
    const conn = new SendCredit(connLimit);
    const streams = limits.map((limit) => new SendStream({ limit, bufferLimit: 2000 }));
    const written = streams.map(() => [] as number[]);
    const limitOf = limits.slice();
    let connMax = connLimit;
    const highest = streams.map(() => 0);
    const inFlight: { s: number; f: SentStreamFrame }[] = [];
    const blockedAt = streams.map(() => new Set<number>());
    for (const o of ops) {
      switch (o.k) {
        case 'write': {
          const before = written[o.s].length;
          const data = Uint8Array.from({ length: o.n }, (_, i) => (before + i) * 7 & 0xff);
          const { accepted } = streams[o.s].write(data);
          written[o.s].push(...data.subarray(0, accepted));
          break;
        }
        case 'finish': streams[o.s].finish(); break;
        case 'maxStream': streams[o.s].onMaxStreamData(o.v); limitOf[o.s] = Math.max(limitOf[o.s], o.v); break;
        case 'maxData': conn.raise(o.v); connMax = Math.max(connMax, o.v); break;
        case 'skip': { const st = streams[o.s]; if (st.state === 'send' || st.state === 'data_sent') st.skip(Math.floor(st.skipped + (st.written - st.skipped) * o.f)); break; }
        case 'lose':
        case 'ack': {
          if (!inFlight.length) break;
          const [{ s, f }] = inFlight.splice(o.i % inFlight.length, 1);
          if (o.k === 'ack') streams[s].onAcked(f);
          else streams[s].onLost(f);
          break;
        }
        case 'poll': {
          const st = streams[o.s];
          const t = st.pollTransmit(o.max, conn);
          if (!t) break;
          if (t.type === 'stream') {
            assert.ok(t.offset + t.data.length <= limitOf[o.s], `stream ${o.s}: bytes up to ${t.offset + t.data.length} past its limit ${limitOf[o.s]}`);
            assert.ok(t.data.length <= o.max, 'at most maxBytes');
            assert.equal([...t.data], written[o.s].slice(t.offset, t.offset + t.data.length), 'the bytes written, at their offsets');
            if (t.fin) assert.is(t.offset + t.data.length, st.finalSize, 'the FIN at the final size');
            highest[o.s] = Math.max(highest[o.s], t.offset + t.data.length);
          } else if (t.type === 'stream_skip') {
            assert.ok(t.offset <= limitOf[o.s], `stream ${o.s}: skip to ${t.offset} past its limit ${limitOf[o.s]}`);
            assert.ok(t.offset <= st.skipped, 'never beyond what the application abandoned');
            highest[o.s] = Math.max(highest[o.s], t.offset);
          } else if (t.type === 'stream_data_blocked') {
            assert.is(t.limit, limitOf[o.s], 'blocked at the current limit');
            assert.not.ok(blockedAt[o.s].has(t.limit), 'once per limit');
            blockedAt[o.s].add(t.limit);
          }
          const f = sentFrame(t);
          if (f) inFlight.push({ s: o.s, f });
          break;
        }
      }
      const sum = highest.reduce((a, b) => a + b, 0);
      assert.ok(sum <= connMax, `the streams' highest offsets add up to ${sum}, past MAX_DATA ${connMax}`);
      assert.is(conn.used, sum, 'connection credit used = the sum of highest offsets');
    }
    // Blocked signalling: a stream with bytes waiting and no stream credit says so.
    for (const [i, st] of streams.entries()) {
      if (st.state !== 'send' && st.state !== 'data_sent') continue;
      if (st.written > st.sent && st.credit.available === 0 && st.skipped <= st.sent && !blockedAt[i].has(st.credit.limit)) {
        let t = st.pollTransmit(100, conn);
        while (t && t.type !== 'stream_data_blocked') t = st.pollTransmit(100, conn);
        assert.ok(t && t.type === 'stream_data_blocked' && t.limit === st.credit.limit, `stream ${i} is blocked and says so`);
      }
    }
  }), { numRuns: RUNS });
});

test('a receive window advertises a new limit once half of it is consumed', () => {
  const w = new RecvWindow({ window: 100 });
  w.receive(100);
  w.consume(49);
  assert.is(w.pollUpdate(0, 0), undefined);
  w.consume(1);
  assert.is(w.pollUpdate(0, 0), 150);
  assert.is(w.pollUpdate(0, 0), undefined);
  assert.not.ok(w.allows(51));
  assert.ok(w.allows(50));
  assert.throws(() => w.receive(51), RangeError);
  assert.throws(() => w.consume(51), RangeError, 'never more consumed than received');
});

test('auto-tuning: the window doubles when updates come within two RTTs, stays put when slower, never passes the maximum', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 1 << 16 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 200 }),
    fc.array(fc.record({ dt: fc.integer({ min: 0, max: 1000 }), frac: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 60, size: 'max' }),
    (window, growth, rtt, steps) => {
      const max = window * 2 ** growth;
      const w = new RecvWindow({ window, maxWindow: max });
      let now = 0;
      let last: number | undefined;
      for (const s of steps) {
        now += s.dt;
        const n = Math.floor(w.available * s.frac);
        w.receive(n);
        w.consume(n);
        const before = w.window;
        const limit = w.pollUpdate(now, rtt);
        assert.ok(w.window <= max, 'never beyond the maximum');
        assert.ok(w.window >= before, 'never shrinks');
        assert.ok(w.limit - w.consumed <= w.window, 'the limit is at most a window ahead');
        if (limit !== undefined || w.window !== before) {
          const fast = last !== undefined && now - last < 2 * rtt;
          assert.is(w.window, fast ? Math.min(before * 2, max) : before, `update at ${now} (previous ${last}, rtt ${rtt})`);
          last = now;
        }
      }
    }), { numRuns: RUNS });
});

test('auto-tuning lets one fast stream grow to the maximum window and move far more than a fixed window', () => {
  // One RTT (10 ms) per round: the sender sends up to the limit, the application reads it all at once.
  const run = (max: number) => {
    const conn = new RecvWindow({ window: 96 * 1024, maxWindow: 64 << 20 });
    const rs = new RecvStream({ window: new RecvWindow({ window: 64 * 1024, maxWindow: max }), connection: conn });
    let moved = 0;
    for (let round = 0, now = 0; round < 40; round++, now += 10) {
      const n = Math.min(rs.window.limit - rs.highest, conn.available);
      assert.is(rs.onStream(rs.highest, new Uint8Array(n), false).error, undefined);
      moved += rs.read().data.length;
      rs.pollMaxStreamData(now, 10);
      conn.pollUpdate(now, 10);
    }
    return { moved, window: rs.window.window };
  };
  const fixed = run(64 * 1024);
  const tuned = run(16 << 20);
  assert.is(fixed.window, 64 * 1024);
  assert.is(tuned.window, 16 << 20, 'grew to the maximum');
  assert.ok(tuned.moved > 20 * fixed.moved, `tuned ${tuned.moved} vs fixed ${fixed.moved}`);
});

test('the connection window follows a growing stream window (×1.5), up to its own maximum', () => {
  const conn = new RecvWindow({ window: 1000, maxWindow: 5000 });
  const rs = new RecvStream({ window: new RecvWindow({ window: 1000, maxWindow: 4000 }), connection: conn });
  for (let t = 0; t < 6; t++) {
    assert.is(rs.onStream(rs.highest, new Uint8Array(Math.min(rs.window.limit - rs.highest, conn.available)), false).error, undefined);
    rs.read();
    rs.pollMaxStreamData(t, 10);
    conn.pollUpdate(t, 10);
  }
  assert.is(rs.window.window, 4000);
  assert.is(conn.window, Math.min(5000, 4000 * CONNECTION_WINDOW_FACTOR));
});

test.run();
