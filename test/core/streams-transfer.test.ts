/**
 * A sending part and a receiving part joined by a channel that loses, duplicates and reorders
 * frames, with acknowledgments, losses (spurious ones too) and flow-control updates flowing back:
 * the receiver reads exactly the bytes written, in order (machines.stream-recv.in-order), the
 * sender never needs more credit than it was given (machines.stream-send.flow-limit), and both
 * parts end — the sender in `data_recvd` once everything is acknowledged
 * (machines.stream-send.retransmit). With partial reliability the sender abandons ranges as it
 * goes: every offset is then either delivered with its byte or inside a range the read reported
 * as skipped (machines.stream-recv.skip, machines.stream-send.skip).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  RecvStream, RecvWindow, SendCredit, SendStream, sentFrame, type SentStreamFrame, type StreamTransmit,
} from '../../src/core/streams/index.ts';

const RUNS = Number(process.env.JSP_PROPERTY_RUNS ?? 300);

interface InFlight { t: StreamTransmit; f: SentStreamFrame | undefined; lost: boolean }

function transfer(data: Uint8Array, seed: number, opts: { window: number; skip: boolean; maxFrame: number }) {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const sender = new SendStream({ id: 0, limit: opts.window, bufferLimit: 1 << 20 });
  const senderConn = new SendCredit(Math.floor(opts.window * 1.5));
  const recvConn = new RecvWindow({ window: Math.floor(opts.window * 1.5) });
  const receiver = new RecvStream({ id: 0, window: new RecvWindow({ window: opts.window }), connection: recvConn });
  const flight: InFlight[] = [];
  const out: number[] = [];
  const skipped: { start: number; end: number }[] = [];
  let written = 0;
  let finished = false;
  let fin = false;
  let now = 0;

  const deliver = (p: InFlight) => {
    const t = p.t;
    if (t.type === 'stream') assert.is(receiver.onStream(t.offset, t.data, t.fin).error, undefined, receiver.error?.message);
    else if (t.type === 'stream_skip') assert.is(receiver.onSkip(t.offset).error, undefined, receiver.error?.message);
  };
  const read = (max: number) => {
    const r = receiver.read(max);
    if (r.skipped) { assert.ok(opts.skip, 'a skip only when the sender skipped'); skipped.push(r.skipped); }
    out.push(...r.data);
    if (r.fin) fin = true;
  };
  const feedback = () => {
    const m = receiver.pollMaxStreamData(now, 5);
    if (m !== undefined) sender.onMaxStreamData(m);
    const c = recvConn.pollUpdate(now, 5);
    if (c !== undefined) senderConn.raise(c);
  };

  for (let step = 0; step < 200_000 && !(fin && sender.state === 'data_recvd'); step++) {
    now++;
    const drain = step > 3000; // after a while, a perfect network lets everything finish
    const r = rand();
    if (!finished && r < 0.15) {
      const n = Math.min(data.length - written, Math.floor(rand() * 700));
      written += sender.write(data.subarray(written, written + n)).accepted;
      if (opts.skip && rand() < 0.2 && (sender.state === 'send' || sender.state === 'data_sent')) {
        sender.skip(Math.min(sender.written, sender.skipped + Math.floor(rand() * 300)));
      }
      if (written === data.length) { sender.finish(); finished = true; }
    } else if (r < 0.45) {
      const t = sender.pollTransmit(1 + Math.floor(rand() * opts.maxFrame), senderConn);
      if (t) {
        const p = { t, f: sentFrame(t), lost: !drain && rand() < 0.15 };
        flight.push(p);
        if (!p.lost && !drain && rand() < 0.1) flight.push({ ...p, f: undefined }); // duplicated by the network
      }
    } else if (r < 0.75 && flight.length) {
      const i = drain ? 0 : Math.floor(rand() * flight.length);
      const p = flight[i];
      flight.splice(i, 1);
      if (!p.lost) deliver(p);
      if (p.f) {
        // The acknowledgment, or (for a lost packet, or spuriously) a loss declared by the sender.
        if (!p.lost && (drain || rand() < 0.9)) sender.onAcked(p.f);
        else sender.onLost(p.f);
      }
    } else if (r < 0.9) {
      read(Math.floor(rand() * 2000));
      feedback();
    } else {
      feedback();
    }
    if (drain && !flight.length) { read(Number.MAX_SAFE_INTEGER); feedback(); }
  }
  return { out, skipped, fin, sender, receiver, written };
}

test('reliable: exactly the bytes written arrive, in order, and both parts finish', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 6000, size: 'max' }), fc.integer(), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 1500 }), (data, seed, window, maxFrame) => {
    const r = transfer(data, seed, { window, skip: false, maxFrame });
    assert.ok(r.fin, 'the receiver read the FIN');
    assert.is(r.sender.state, 'data_recvd');
    assert.is(r.receiver.state, 'data_read');
    assert.equal(Uint8Array.from(r.out), data);
    assert.equal(r.skipped, []);
    assert.ok(r.sender.credit.used <= r.sender.credit.limit);
  }), { numRuns: RUNS });
});

test('partially reliable: every offset is delivered with its byte or reported skipped, in order, and both parts finish', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 6000, size: 'max' }), fc.integer(), fc.integer({ min: 50, max: 3000 }), (data, seed, window) => {
    const r = transfer(data, seed, { window, skip: true, maxFrame: 700 });
    assert.ok(r.fin);
    assert.is(r.sender.state, 'data_recvd');
    // Rebuild the stream from the reads: bytes and skipped ranges, in order, covering [0, length).
    let at = 0;
    let skippedBytes = 0;
    for (const g of r.skipped) { assert.ok(g.start < g.end); skippedBytes += g.end - g.start; }
    assert.is(r.out.length + skippedBytes, data.length, 'every offset is delivered or skipped, once');
    // Check bytes against the original: walk the skipped ranges in order.
    let o = 0;
    for (const g of r.skipped) {
      assert.ok(g.start >= at, 'skips are reported in order');
      const n = g.start - at;
      assert.equal(r.out.slice(o, o + n), [...data.subarray(at, g.start)], `bytes before the skip at ${g.start}`);
      o += n;
      at = g.end;
    }
    assert.equal(r.out.slice(o), [...data.subarray(at)], 'the bytes after the last skip');
  }), { numRuns: RUNS });
});

test.run();
