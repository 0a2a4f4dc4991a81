/**
 * src/core/connection/pmtu.ts: the DPLPMTUD search (RFC 8899, RFC 9000 §14.3) as a sans-IO state
 * machine — the base size until the search starts, binary search between what was acknowledged
 * and what is known too big, MAX_PROBES losses of one size before it counts as too big, the
 * peer's max_udp_payload_size as a cap, the raise timer, and the black-hole fallback.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_PROBES, PathMtu, RAISE_INTERVAL_MS, SEARCH_GRANULARITY } from '../../src/core/connection/pmtu.ts';

/** Runs the search against a path that carries datagrams up to `pathMtu`; returns the sizes probed. */
function search(m: PathMtu, pathMtu: number, now = 0): number[] {
  const probed: number[] = [];
  let pn = 0;
  for (let size = m.nextProbe(now); size !== undefined; size = m.nextProbe(now)) {
    probed.push(size);
    m.onProbeSent(size, pn);
    if (size <= pathMtu) m.onProbeAcked(now, pn); else m.onProbeLost(now, pn);
    pn++;
    assert.ok(probed.length < 100, 'the search ends');
  }
  return probed;
}

test('nothing is probed before start; the base size is used', () => {
  const m = new PathMtu({ maxDatagram: 1452 });
  assert.is(m.current, 1200);
  assert.is(m.nextProbe(0), undefined);
  assert.is(m.state, 'disabled');
});

test('a 1500-byte Ethernet path (IPv6: 1452): binary search finds the largest size within the granularity', () => {
  const m = new PathMtu({ maxDatagram: 1452 });
  m.start(0);
  const probed = search(m, 1452);
  assert.equal(probed, [1326, 1389, 1421, 1452], 'midpoints, then the top itself once the gap is small');
  assert.is(m.current, 1452);
  assert.is(m.state, 'complete');
});

test('a path narrower than the bound: a size is too big only after MAX_PROBES losses', () => {
  const m = new PathMtu({ maxDatagram: 1452 });
  m.start(0);
  const probed = search(m, 1400);
  assert.is(probed.filter((s) => s === 1452).length, 0);
  assert.is(probed.filter((s) => s > 1400).length % MAX_PROBES, 0, 'every size too big was tried MAX_PROBES times');
  assert.ok(m.current <= 1400 && m.current > 1400 - SEARCH_GRANULARITY, `found ${m.current}`);
  assert.is(m.stats.probesLost, probed.filter((s) => s > 1400).length);
});

test('loopback: up to the peer\'s max_udp_payload_size, in a dozen probes', () => {
  const m = new PathMtu({ maxDatagram: 65527 });
  m.start(16384); // the peer receives at most 16384
  const probed = search(m, 65527);
  assert.is(m.current, 16384);
  assert.ok(probed.length <= 12, `${probed.length} probes`);
  assert.ok(Math.max(...probed) <= 16384, 'never above the peer\'s limit');
});

test('a lost probe followed by an acknowledged one of the same size is not a failure count of MAX_PROBES', () => {
  const m = new PathMtu({ maxDatagram: 1452 });
  m.start(0);
  const size = m.nextProbe(0)!;
  m.onProbeSent(size, 0);
  m.onProbeLost(0, 0);
  assert.is(m.nextProbe(0), size, 'the same size again');
  m.onProbeSent(size, 1);
  m.onProbeAcked(0, 1);
  assert.is(m.current, size);
  m.onProbeAcked(0, 7); // not the probe: ignored
  assert.is(m.stats.probesAcked, 1);
});

test('the search runs again after the raise interval, and a black hole falls back to the base', () => {
  const m = new PathMtu({ maxDatagram: 1452 });
  m.start(0);
  search(m, 1300);
  const found = m.current;
  assert.is(m.nextProbe(RAISE_INTERVAL_MS - 1), undefined);
  assert.is(m.searchAgainAt, RAISE_INTERVAL_MS);
  // The path grew: the new search finds more.
  search(m, 1452, RAISE_INTERVAL_MS);
  assert.ok(m.current > found && m.current === 1452);
  m.onBlackHole(RAISE_INTERVAL_MS + 5);
  assert.is(m.current, 1200);
  assert.is(m.stats.blackHoles, 1);
  assert.is(m.state, 'searching');
  assert.ok(m.nextProbe(RAISE_INTERVAL_MS + 5)! < 1452, 'below the size that failed');
});

test('bad bounds are RangeErrors; a bound at the base disables the search', () => {
  assert.throws(() => new PathMtu({ maxDatagram: 1000 }), (e: unknown) => e instanceof RangeError && /maxDatagram/.test((e as Error).message));
  assert.throws(() => new PathMtu({ maxDatagram: 70000 }), RangeError);
  const m = new PathMtu({ maxDatagram: 1200 });
  m.start(0);
  assert.is(m.state, 'complete');
  assert.is(m.nextProbe(0), undefined);
});

test.run();
