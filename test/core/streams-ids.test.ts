/**
 * Stream ids and limits (src/core/streams/stream-ids.ts, RFC 9000 §2.1 and §4.6): the two low
 * bits, local streams opened in order within the peer's MAX_STREAMS with STREAMS_BLOCKED once per
 * limit, implicit opening of lower-numbered peer streams, STREAM_LIMIT_ERROR beyond our limit,
 * STREAM_STATE_ERROR for a part a stream cannot have or a local stream not opened
 * (machines.stream-recv.no-transition, machines.stream-send.receive-only), and MAX_STREAMS as peer
 * streams close.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_STREAMS } from '../../src/gen/constants.ts';
import { StreamLimitError, StreamStateError, TransportError } from '../../src/gen/errors.ts';
import { StreamIds, directionOf, hasPart, indexOf, initiatorOf, streamId } from '../../src/core/streams/index.ts';

function thrown(f: () => unknown): TransportError {
  try { f(); } catch (e) { if (e instanceof TransportError) return e; throw e; }
  throw new Error('nothing thrown');
}

test('ids: bit 0 is the initiator, bit 1 the direction, the rest the index', () => {
  assert.equal([0, 1, 2, 3].map((id) => [initiatorOf(id), directionOf(id)]), [['client', 'bidi'], ['server', 'bidi'], ['client', 'uni'], ['server', 'uni']]);
  fc.assert(fc.property(fc.nat(MAX_STREAMS - 1), fc.constantFrom('client' as const, 'server' as const), fc.constantFrom('bidi' as const, 'uni' as const), (i, who, dir) => {
    const id = streamId(i, who, dir);
    assert.ok(Number.isSafeInteger(id));
    assert.is(indexOf(id), i);
    assert.is(initiatorOf(id), who);
    assert.is(directionOf(id), dir);
  }));
  assert.throws(() => streamId(MAX_STREAMS, 'client', 'bidi'), RangeError);
  assert.ok(hasPart(2, 'client', 'send') && !hasPart(2, 'client', 'recv'), 'a local uni stream is send-only');
  assert.ok(hasPart(2, 'server', 'recv') && !hasPart(2, 'server', 'send'), 'a peer uni stream is receive-only');
  assert.ok(hasPart(0, 'server', 'send') && hasPart(0, 'server', 'recv'));
});

test('local streams open in order within the peer\'s limit; STREAMS_BLOCKED once per limit; MAX_STREAMS raises it', () => {
  const ids = new StreamIds({ role: 'client', local: { bidi: 10, uni: 10 }, peer: { bidi: 2, uni: 0 } });
  assert.is(ids.open('bidi'), 0);
  assert.is(ids.open('bidi'), 4);
  assert.is(ids.open('bidi'), undefined);
  assert.is(ids.open('uni'), undefined);
  assert.equal(ids.pollStreamsBlocked(), { direction: 'bidi', limit: 2 });
  assert.equal(ids.pollStreamsBlocked(), { direction: 'uni', limit: 0 });
  assert.is(ids.pollStreamsBlocked(), undefined);
  ids.onMaxStreams('bidi', 1);
  assert.is(ids.open('bidi'), undefined, 'a lower MAX_STREAMS changes nothing');
  assert.is(ids.pollStreamsBlocked(), undefined, 'still once per limit');
  ids.onMaxStreams('bidi', 3);
  assert.is(ids.open('bidi'), 8);
  assert.is(ids.open('bidi'), undefined);
  assert.equal(ids.pollStreamsBlocked(), { direction: 'bidi', limit: 3 });
  const server = new StreamIds({ role: 'server', local: { bidi: 1, uni: 1 }, peer: { bidi: 1, uni: 1 } });
  assert.is(server.open('bidi'), 1);
  assert.is(server.open('uni'), 3);
});

test('a frame for a peer stream opens it and every lower-numbered one of its type; beyond our limit is STREAM_LIMIT_ERROR', () => {
  const ids = new StreamIds({ role: 'server', local: { bidi: 3, uni: 1 }, peer: { bidi: 0, uni: 0 } });
  assert.equal(ids.onFrame(4, 'recv'), { local: false, opened: [0, 4] });
  assert.equal(ids.onFrame(0, 'send'), { local: false, opened: [] }, 'already open');
  assert.equal(ids.onFrame(8, 'recv'), { local: false, opened: [8] });
  const e = thrown(() => ids.onFrame(12, 'recv', 'STREAM'));
  assert.instance(e, StreamLimitError);
  assert.match(e.message, /STREAM for stream 12: the peer may open 3 bidi streams/);
  assert.equal(ids.onFrame(2, 'recv'), { local: false, opened: [2] });
  assert.instance(thrown(() => ids.onFrame(6, 'recv')), StreamLimitError);
});

// machines.stream-recv.no-transition, machines.stream-send.receive-only
test('a frame for a part the stream cannot have, or for a local stream not opened, is STREAM_STATE_ERROR', () => {
  const ids = new StreamIds({ role: 'client', local: { bidi: 5, uni: 5 }, peer: { bidi: 5, uni: 5 } });
  ids.open('uni'); // 2
  ids.open('bidi'); // 0
  for (const [id, part, why] of [
    [2, 'recv', /STREAM for send-only stream 2/],
    [3, 'send', /STREAM for receive-only stream 3/],
    [4, 'recv', /stream 4, which this endpoint has not opened/],
    [6, 'send', /stream 6, which this endpoint has not opened/],
  ] as const) {
    const e = thrown(() => ids.onFrame(id, part, 'STREAM'));
    assert.instance(e, StreamStateError);
    assert.match(e.message, why);
  }
  assert.equal(ids.onFrame(2, 'send'), { local: true, opened: [] }, 'STOP_SENDING for our uni stream is fine');
  assert.equal(ids.onFrame(0, 'recv'), { local: true, opened: [] });
  assert.equal(ids.onFrame(3, 'recv'), { local: false, opened: [3] });
});

test('MAX_STREAMS gives back the credit of closed peer streams in batches, or at once when the peer is blocked', () => {
  const ids = new StreamIds({ role: 'client', local: { bidi: 4, uni: 1 }, peer: { bidi: 0, uni: 0 } });
  ids.onFrame(13, 'recv'); // server bidi 0..3 (ids 1, 5, 9, 13)
  assert.is(ids.peerOpened('bidi'), 4);
  ids.onPeerStreamClosed(1);
  assert.is(ids.pollMaxStreams(), undefined, 'one of a batch of two');
  ids.onPeerStreamClosed(5);
  assert.equal(ids.pollMaxStreams(), { direction: 'bidi', max: 6 });
  assert.is(ids.pollMaxStreams(), undefined);
  ids.onFrame(21, 'recv');
  ids.onPeerStreamClosed(9);
  ids.onStreamsBlocked('bidi');
  assert.equal(ids.pollMaxStreams(), { direction: 'bidi', max: 7 }, 'at once when the peer is blocked');
  assert.is(ids.advertised('bidi'), 7);
  ids.onFrame(3, 'recv');
  ids.onPeerStreamClosed(3);
  assert.equal(ids.pollMaxStreams(), { direction: 'uni', max: 2 }, 'a limit of one gives each stream back at once');
  ids.onPeerStreamClosed(0);
  assert.is(ids.pollMaxStreams(), undefined, 'our own streams give no peer credit');
});

test('the peer can never have more streams open than advertised, whatever order frames and closes come in', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 20 }), fc.array(fc.oneof(fc.record({ open: fc.nat(60) }), fc.record({ close: fc.nat(60) })), { maxLength: 80, size: 'max' }), (limit, ops) => {
    const ids = new StreamIds({ role: 'server', local: { bidi: limit, uni: 0 }, peer: { bidi: 0, uni: 0 } });
    const open = new Set<number>();
    const closed = new Set<number>();
    for (const o of ops) {
      if ('open' in o) {
        const id = o.open * 4;
        try {
          for (const x of ids.onFrame(id, 'recv').opened) open.add(x);
        } catch (e) {
          assert.instance(e, StreamLimitError);
          assert.ok(o.open >= ids.advertised('bidi'));
        }
      } else {
        const id = [...open][o.close % Math.max(1, open.size)];
        if (id === undefined || closed.has(id)) continue;
        closed.add(id);
        ids.onPeerStreamClosed(id);
        ids.pollMaxStreams();
      }
      assert.ok(open.size - closed.size <= limit, `${open.size - closed.size} open, limit ${limit}`);
      assert.ok(ids.advertised('bidi') <= limit + closed.size);
    }
  }));
});

test.run();
