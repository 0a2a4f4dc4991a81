/**
 * Ticket keys derived from a shared root secret (crypto.ticket.fleet-keys) and the restart rule
 * of the anti-replay record (crypto.anti-replay.restart): servers holding the same root seal
 * under the same key in a rotation period and open each other's tickets — a restarted server
 * too — within the grace after a period ended and not beyond; a server whose keys outlive its
 * record refuses 0-RTT for one window, then accepts it again.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { seededRng } from '../../src/core/rng.ts';
import { AntiReplay, periodTicketKeySecret, ServerTickets, TicketKeys, ticketKeyMaterial } from '../../src/core/tickets/index.ts';
import { firstConnection, resume } from './resumption-fixtures.ts';

const HOUR = 3600_000;
const root = p.sha256(new TextEncoder().encode('fleet root'));
/** A wall-clock time at the start of a rotation period of one hour. */
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % HOUR);
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const fleetKeys = (now: number, o: { graceMs?: number; root?: Uint8Array; seed?: string } = {}) =>
  new TicketKeys({ provider: p, rng: seededRng(p, o.seed ?? 'fleet'), rotationMs: HOUR, graceMs: o.graceMs ?? 2 * HOUR, rootSecret: o.root ?? root }, now);
const plain = Uint8Array.of(1, 2, 3, 4);

test('two servers with one root secret seal under the same key and open each other\'s tickets; another root does not', () => {
  const a = fleetKeys(T0 + 10_000, { seed: 'a' });
  const b = fleetKeys(T0 + 20 * 60_000, { seed: 'b' }); // started later in the same period
  assert.ok(a.derived && b.derived);
  assert.equal(a.ids.at(-1), b.ids.at(-1), 'the same current key id');
  const expected = ticketKeyMaterial(p, periodTicketKeySecret(p, root, T0 / HOUR)).id;
  assert.ok(eq(a.ids.at(-1)!, expected), 'the key of period floor(now / rotationMs)');
  const fromA = a.seal(T0 + 30_000, plain), fromB = b.seal(T0 + 30 * 60_000, plain);
  for (const [keys, t] of [[b, fromA], [a, fromB]] as const) {
    const o = keys.open(T0 + 40 * 60_000, t);
    assert.ok(o.ok && eq(o.plaintext, plain));
  }
  const other = fleetKeys(T0 + 10_000, { root: p.sha256(new TextEncoder().encode('another fleet')) });
  assert.equal(other.open(T0 + 20_000, fromA), { ok: false, reason: 'unknown_key' });
});

test('periods: a new key at each boundary; a restarted server opens tickets of past periods within the grace only', () => {
  const a = fleetKeys(T0 + 1000);
  const old = a.seal(T0 + 1000, plain); // period n, which ends at T0 + 1 h
  const next = a.seal(T0 + HOUR, plain); // period n + 1: another key
  assert.not.ok(eq(old.subarray(0, 8), next.subarray(0, 8)), 'a new key id after the boundary');
  // Restarts (a new TicketKeys from the root): the ticket of period n opens while its period ended ≤ 2 h ago.
  const within = fleetKeys(T0 + 3 * HOUR);
  const o = within.open(T0 + 3 * HOUR, old);
  assert.ok(o.ok && eq(o.plaintext, plain), 'restarted 2 h after the period ended: still in grace');
  const past = fleetKeys(T0 + 3 * HOUR + 1);
  assert.equal(past.open(T0 + 3 * HOUR + 1, old), { ok: false, reason: 'unknown_key' });
  // The running server forgets it at the same moment.
  assert.ok(a.open(T0 + 3 * HOUR, old).ok);
  assert.equal(a.open(T0 + 3 * HOUR + 1, old), { ok: false, reason: 'unknown_key' });
  // A clock that jumps a year ahead derives only the keys still within the grace.
  a.tick(T0 + 365 * 24 * HOUR + 5);
  assert.is(a.ids.length, 3, 'the current period and the two before it');
});

test('a root secret: rotate() refused, bad roots and a first secret beside it refused with TypeError', () => {
  const a = fleetKeys(T0);
  assert.throws(() => a.rotate(T0 + 1), (e: unknown) => e instanceof TypeError && /follow its rotation periods/.test((e as Error).message));
  assert.throws(() => fleetKeys(T0, { root: new Uint8Array(31) }), (e: unknown) => e instanceof TypeError && /root secret must be a 32-byte/.test((e as Error).message));
  assert.throws(() => new TicketKeys({ provider: p, rng: seededRng(p, 'x'), rootSecret: root }, T0, new Uint8Array(32)), /either a rootSecret or a first secret/);
  assert.throws(() => periodTicketKeySecret(p, root, -1), RangeError);
  const copy = root.slice();
  const b = new TicketKeys({ provider: p, rng: seededRng(p, 'y'), rotationMs: HOUR, rootSecret: copy }, T0);
  copy.fill(0); // the caller's buffer is not the one kept
  assert.ok(b.open(T0, a.seal(T0, plain)).ok);
});

test('keys that outlive the record: 0-RTT refused for one window after the start (anti_replay_restart), tickets still resume; accepted after', () => {
  const first = new ServerTickets({ keys: fleetKeys(T0), antiReplay: new AntiReplay() });
  const a = firstConnection(p, first, T0, { seed: 'a' }).ticket;
  const b = firstConnection(p, first, T0, { seed: 'b' }).ticket;
  // The server restarts at T0 + 2 s with the same root and an empty record of 10 s.
  const start = T0 + 2000;
  const restarted = new ServerTickets({ keys: fleetKeys(start), antiReplay: new AntiReplay({ windowMs: 10_000 }), earlyDataFromMs: start + 10_000 });
  const during = resume(p, restarted, a, start + 3000, { seed: 'during' });
  assert.is(during.server.resumed, true, 'the ticket of before the restart resumes');
  assert.is(during.client.earlyDataAccepted, false);
  const d = during.server.ticketDecision!;
  assert.ok(d.accepted && !d.earlyData && d.earlyReason === 'anti_replay_restart');
  assert.is(resume(p, restarted, a, start + 4000, { seed: 'again' }).server.ticketDecision!.accepted, false, 'its id was recorded meanwhile: single use');
  // b was issued 12 s before it is used: a client's clock that agrees passes the ticket-age check, and the window is over.
  const after = resume(p, restarted, b, start + 10_000, { seed: 'after' });
  assert.is(after.client.earlyDataAccepted, true, '0-RTT accepted once the window passed');
  assert.equal(restarted.stats.earlyRejected, { anti_replay_restart: 1 });
  assert.throws(() => new ServerTickets({ keys: fleetKeys(T0), earlyDataFromMs: Number.NaN }), RangeError);
});

test.run();
