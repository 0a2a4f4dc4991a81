/**
 * The sending part (src/core/streams/send-stream.ts, send-buffer.ts): what to transmit next
 * (lost bytes first, then new ones within the credit), the FIN and the final size
 * (machines.stream-send.final-size), acknowledgments and completion, reset and its final size
 * (machines.stream-send.reset-final-size, machines.stream-send.no-data-after-reset), STOP_SENDING
 * (machines.stream-send.stop-sending), partial reliability (machines.stream-send.skip),
 * retransmission (machines.stream-send.retransmit), blocked signalling
 * (machines.stream-send.blocked), MAX_STREAM_DATA (machines.stream-send.limit-monotonic), and an
 * acknowledgment of a frame never sent (machines.stream-send.no-transition).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InternalError } from '../../src/gen/errors.ts';
import { SendCredit, SendStream, sentFrame, type StreamTransmit } from '../../src/core/streams/index.ts';

const seq = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const big = () => new SendCredit(1 << 30);

function drain(s: SendStream, conn: SendCredit, max = 1000): StreamTransmit[] {
  const out: StreamTransmit[] = [];
  for (let t = s.pollTransmit(max, conn); t; t = s.pollTransmit(max, conn)) out.push(t);
  return out;
}
const shape = (t: StreamTransmit) => (t.type === 'stream' ? `stream ${t.offset}+${t.data.length}${t.fin ? ' fin' : ''}` : t.type === 'stream_skip' ? `skip ${t.offset}` : t.type === 'reset_stream' ? `reset ${t.errorCode} ${t.finalSize}` : `blocked ${t.limit}`);

test('bytes go out in order within maxBytes, the FIN with the last byte; completion needs every byte and the FIN acknowledged', () => {
  const s = new SendStream({ id: 0, limit: 1000 });
  const conn = big();
  assert.equal(s.write(seq(250)).accepted, 250);
  assert.is(s.finish().next, 'data_sent');
  const frames = drain(s, conn, 100);
  assert.equal(frames.map(shape), ['stream 0+100', 'stream 100+100', 'stream 200+50 fin']);
  assert.equal([...(frames[1] as { data: Uint8Array }).data], [...seq(100, 100)]);
  assert.is(conn.used, 250);
  const [a, b, c] = frames.map((f) => sentFrame(f)!);
  assert.is(s.onAcked(c).guard, 'partial');
  assert.is(s.onAcked(a).guard, 'partial');
  assert.is(s.onAcked(a).guard, 'partial', 'a repeated acknowledgment');
  const last = s.onAcked(b);
  assert.is(last.guard, 'all');
  assert.equal(last.actions, ['mark_acked', 'release_stream']);
  assert.is(s.state, 'data_recvd');
  assert.is(s.buffered, 0);
});

// machines.stream-send.retransmit
test('lost bytes are sent again before new ones, only what is still unacknowledged, with the FIN if it was lost', () => {
  const s = new SendStream({ limit: 1000 });
  const conn = big();
  s.write(seq(300));
  const [a, b] = drain(s, conn, 100).map((f) => sentFrame(f)!); // 0+100, 100+100, 200+100
  s.onAcked({ type: 'stream', offset: 50, length: 20, fin: false });
  assert.equal(s.onLost(a).actions, ['queue_retransmit']);
  s.onLost(b);
  s.write(seq(10, 300));
  s.finish();
  assert.equal(drain(s, conn, 1000).map(shape), ['stream 0+50', 'stream 70+130', 'stream 300+10 fin']);
  assert.is(conn.used, 310, 'retransmissions use no new credit');
  s.onLost({ type: 'stream', offset: 300, length: 10, fin: true });
  assert.equal(drain(s, conn).map(shape), ['stream 300+10 fin']);
  s.onAcked({ type: 'stream', offset: 300, length: 10, fin: true });
  s.onLost({ type: 'stream', offset: 300, length: 10, fin: true });
  assert.equal(drain(s, conn), [], 'an acknowledged range is not sent again');
});

test('a FIN alone: finishing without writing, and a lost FIN-only frame', () => {
  const s = new SendStream({ limit: 10 });
  const conn = big();
  assert.equal(s.finish().actions, ['set_final_size']);
  assert.equal(drain(s, conn).map(shape), ['stream 0+0 fin']);
  s.onLost({ type: 'stream', offset: 0, length: 0, fin: true });
  assert.equal(drain(s, conn).map(shape), ['stream 0+0 fin']);
  assert.is(s.onAcked({ type: 'stream', offset: 0, length: 0, fin: true }).next, 'data_recvd');
});

// machines.stream-send.final-size
test('after finish, writes and a second finish are refused and change nothing', () => {
  const s = new SendStream({ limit: 10 });
  s.write(seq(3));
  s.finish();
  const w = s.write(seq(3));
  assert.is(w.accepted, 0);
  assert.equal(w.step.actions, ['refuse_app']);
  assert.equal(s.finish().actions, ['refuse_app']);
  assert.is(s.finalSize, 3);
});

// machines.stream-send.reset-final-size, machines.stream-send.no-data-after-reset
test('reset: RESET_STREAM with the highest offset sent, resent when lost, no STREAM frames after it', () => {
  const s = new SendStream({ limit: 1000 });
  const conn = big();
  s.write(seq(500));
  drain(s, conn, 120).slice(0, 1);
  assert.is(s.sent, 500);
  s.write(seq(10));
  assert.equal(s.reset(42).actions, ['send_reset_stream']);
  assert.equal(drain(s, conn).map(shape), ['reset 42 500']);
  assert.equal(s.onLost({ type: 'stream', offset: 0, length: 120, fin: false }).actions, [], 'no retransmission after a reset');
  assert.equal(s.onLost({ type: 'reset_stream' }).actions, ['send_reset_stream']);
  assert.equal(drain(s, conn).map(shape), ['reset 42 500']);
  assert.is(s.onAcked({ type: 'reset_stream' }).next, 'reset_recvd');
  assert.equal(drain(s, conn), []);
});

// machines.stream-send.stop-sending
test('STOP_SENDING: the part resets with the peer\'s code, reports it, and refuses writes', () => {
  const s = new SendStream({ limit: 1000 });
  s.write(seq(5));
  const step = s.onStopSending(9);
  assert.equal(step.actions, ['report_stopped', 'send_reset_stream']);
  assert.is(s.stopCode, 9);
  assert.is(s.resetCode, 9);
  assert.equal(s.write(seq(1)).step.actions, ['refuse_app']);
  assert.equal(drain(s, big()).map(shape), ['reset 9 0']);
  assert.equal(s.onStopSending(10).actions, [], 'a second STOP_SENDING changes nothing');
});

// machines.stream-send.skip
test('skip: STREAM_SKIP announced, abandoned bytes never sent again, new bytes from the skip offset, a lost skip resent', () => {
  const s = new SendStream({ limit: 1000 });
  const conn = big();
  s.write(seq(300));
  const sent = drain(s, conn, 100).map((f) => sentFrame(f)!);
  s.write(seq(200, 300));
  assert.equal(s.skip(400).actions, ['discard_range', 'send_stream_skip']);
  assert.is(s.skip(399).guard, 'stale');
  for (const f of sent) s.onLost(f);
  assert.equal(drain(s, conn, 1000).map(shape), ['skip 400', 'stream 400+100']);
  assert.is(conn.used, 500, 'skipped bytes used credit as sent ones do');
  s.onLost({ type: 'stream_skip', offset: 400 });
  assert.equal(drain(s, conn).map(shape), ['skip 400']);
  s.finish();
  drain(s, conn);
  s.onAcked({ type: 'stream', offset: 400, length: 100, fin: false });
  assert.is(s.onAcked({ type: 'stream', offset: 500, length: 0, fin: true }).guard, 'partial', 'the skip is not acknowledged yet');
  assert.is(s.onAcked({ type: 'stream_skip', offset: 400 }).guard, 'all');
  assert.throws(() => new SendStream({ limit: 10 }).skip(1), RangeError, 'cannot skip bytes never written');
});

test('a skip beyond the credit is announced as far as credit allows; new bytes wait for the rest', () => {
  const s = new SendStream({ limit: 100 });
  const conn = big();
  s.write(seq(300));
  s.skip(250);
  assert.equal(drain(s, conn).map(shape), ['skip 100', 'blocked 100']);
  s.onMaxStreamData(400);
  s.finish();
  assert.equal(drain(s, conn).map(shape), ['skip 250', 'stream 250+50 fin']);
  assert.is(s.credit.used, 300);
});

// machines.stream-send.blocked, machines.stream-send.limit-monotonic
test('blocked: STREAM_DATA_BLOCKED once per limit, the connection\'s DATA_BLOCKED through its credit; a lower MAX_STREAM_DATA is ignored', () => {
  const s = new SendStream({ limit: 100 });
  const conn = new SendCredit(1000);
  s.write(seq(250));
  assert.equal(drain(s, conn).map(shape), ['stream 0+100', 'blocked 100']);
  assert.equal(drain(s, conn), [], 'once per limit');
  s.blockedLost(100);
  assert.equal(drain(s, conn).map(shape), ['blocked 100'], 'again after a loss');
  assert.equal(s.onMaxStreamData(50).actions, ['raise_limit']);
  assert.is(s.credit.limit, 100, 'lower: ignored');
  s.onMaxStreamData(200);
  assert.equal(drain(s, conn).map(shape), ['stream 100+100', 'blocked 200']);
  const t = new SendStream({ limit: 1000 });
  const tight = new SendCredit(20);
  t.write(seq(50));
  assert.equal(drain(t, tight).map(shape), ['stream 0+20']);
  assert.is(tight.pollBlocked(), 20);
  assert.is(tight.pollBlocked(), undefined);
});

test('the send buffer is bounded; acknowledged bytes free it', () => {
  const s = new SendStream({ limit: 1 << 20, bufferLimit: 100 });
  const conn = big();
  assert.is(s.write(seq(80)).accepted, 80);
  assert.is(s.write(seq(80)).accepted, 20);
  assert.is(s.writable, 0);
  const [a] = drain(s, conn, 50).map((f) => sentFrame(f)!);
  s.onAcked(a);
  assert.is(s.buffered, 50);
  assert.is(s.write(seq(80)).accepted, 50);
});

// machines.stream-send.no-transition
test('an acknowledgment or loss of a frame never sent fails the part with INTERNAL_ERROR', () => {
  const s = new SendStream({ id: 8, limit: 10 });
  const step = s.onAcked({ type: 'stream', offset: 0, length: 1, fin: false });
  assert.is(step.next, 'failed');
  assert.is(step.error, 'INTERNAL_ERROR');
  assert.instance(s.error, InternalError);
  assert.match(s.error!.message, /stream 8: .*state ready, event data_acked/);
  const r = new SendStream({ limit: 10 });
  r.write(seq(1));
  assert.is(r.onLost({ type: 'reset_stream' }).error, 'INTERNAL_ERROR');
  assert.is(r.write(seq(1)).step.ignored, true, 'failed is terminal');
});

test.run();
