/**
 * Tickets that outlive a server, on the public API over loopback UDP: `listen({ tickets: {
 * rootSecret } })` derives each rotation period's ticket key from a shared root
 * (crypto.ticket.fleet-keys), so a ticket resumes on another server of the fleet and on a
 * restarted server. A server whose keys outlive its own in-memory anti-replay record refuses
 * 0-RTT for one window after it starts (crypto.anti-replay.restart) — the request still goes
 * through, in 1-RTT — while servers that share the record accept it at once.
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AntiReplay, listen, ServerConfig, TicketKeys, type ClientTicket, type JspConnection, type JspServer } from '#jetstreamproto';
import { nodeProvider } from '../../src/crypto/index.ts';
import { bytes, client, keys, readAll, server, sha256 } from './api-util.ts';

/** A first connection to `s` that waits for its session ticket, then closes. */
async function firstTicket(s: JspServer): Promise<ClientTicket> {
  const c = await client(s);
  const [t] = await once(c, 'session') as [ClientTicket];
  await c.close();
  return t;
}

/** Writes `data` in 0-RTT if the connection is still in its handshake; resolves with the echo. */
async function echo(c: JspConnection, data: Uint8Array): Promise<Buffer> {
  const st = await c.openStream();
  const back = readAll(st);
  st.end(data);
  return back;
}

test('one root secret: a ticket from server A resumes with 0-RTT on server B sharing the record', async () => {
  const rootSecret = new Uint8Array(randomBytes(32));
  const antiReplay = new AntiReplay();
  const a = await server({ tickets: { rootSecret, antiReplay } });
  const b = await server({ tickets: { rootSecret, antiReplay } });
  try {
    const t = await firstTicket(a);
    const c = await client(b, { session: t, earlyData: true });
    assert.is(c.earlyData, 'pending');
    const data = bytes(6000, 5);
    assert.is(sha256(await echo(c, data)), sha256(data));
    await c.handshakeComplete;
    assert.is(c.resumed, true, 'B opened A\'s ticket');
    assert.is(c.earlyData, 'accepted');
    assert.is(b.ticketStats!.earlyAccepted, 1);
    await c.close();
    // A server with another root cannot open it: a full handshake.
    const other = await server({ tickets: { rootSecret: new Uint8Array(randomBytes(32)) } });
    try {
      const c2 = await client(other, { session: t });
      await c2.handshakeComplete;
      assert.is(c2.resumed, false);
      assert.equal(other.ticketStats!.rejectedByReason, { unknown_key: 1 });
      await c2.close();
    } finally {
      await other.close();
    }
  } finally {
    await a.close();
    await b.close();
  }
});

test('a restart with the root secret and a fresh record: the ticket resumes, 0-RTT is refused for one window (anti_replay_restart), the data arrives', async () => {
  const rootSecret = new Uint8Array(randomBytes(32));
  const first = await server({ tickets: { rootSecret } });
  const port = first.address().port;
  const t = await firstTicket(first);
  await first.close();
  const restarted = await server({ port, tickets: { rootSecret, antiReplayWindowMs: 5000 } });
  try {
    const c = await client(restarted, { session: t, earlyData: true });
    const data = bytes(4000, 9);
    assert.is(sha256(await echo(c, data)), sha256(data), 'sent again in 1-RTT, byte-exact');
    await c.handshakeComplete;
    assert.is(c.resumed, true, 'the restarted server opened the ticket of before');
    assert.is(c.earlyData, 'rejected');
    assert.equal(restarted.ticketStats!.earlyRejectedByReason, { anti_replay_restart: 1 });
    await c.close();
  } finally {
    await restarted.close();
  }
});

test('rootSecret options: typed errors; a copy is kept', async () => {
  const base = { host: '127.0.0.1', port: 0, staticKey: keys.secret };
  const rejects = async (o: object, cls: new (...a: never[]) => Error, re: RegExp) => {
    let err: unknown;
    try { await listen({ ...base, tickets: o as never }); } catch (e) { err = e; }
    assert.ok(err instanceof cls && re.test((err as Error).message), `${re.source}: got ${String(err)}`);
  };
  await rejects({ rootSecret: new Uint8Array(16) }, TypeError, /^tickets\.rootSecret: expected a 32-byte Uint8Array, got 16 bytes$/);
  await rejects({ rootSecret: 'secret' }, TypeError, /^tickets\.rootSecret: expected a 32-byte Uint8Array, got string$/);
  const tk = new TicketKeys({ provider: nodeProvider, rng: nodeProvider.randomBytes }, Date.now());
  await rejects({ rootSecret: new Uint8Array(32), keys: tk }, TypeError, /give either keys or rootSecret/);
  const root = new Uint8Array(32).fill(3);
  const settings = ServerConfig.builder().staticKey(keys.secret).tickets({ rootSecret: root }).build().tickets as { rootSecret: Uint8Array };
  root.fill(0);
  assert.equal([...settings.rootSecret.subarray(0, 2)], [3, 3], 'the settings keep their own copy');
});

test.run();
