/**
 * The public API's handshake over loopback UDP: `connect` resolves with the pinned key and
 * rejects with typed errors — a wrong key (the server's BAD_SERVER_KEY), nobody listening
 * (ECONNREFUSED), a silent port (handshake timeout), an aborted signal — and bad options are
 * refused before anything is sent.
 */
import { createSocket } from 'node:dgram';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, ConnectionConfig, generateKeyPair, JspConnectError, JspTimeoutError, listen, ServerConfig } from '#jetstreamproto';
import { client, keys, server } from './api-util.ts';

test('connect with the pinned key: the handshake completes on both sides, suite and group are reported', async () => {
  const s = await server({}, false);
  try {
    const accepted = s.accept();
    const c = await client(s, { suites: ['aes_256_gcm_sha256'], groups: ['x25519'] });
    assert.equal(c.handshake, { suite: 'aes_256_gcm_sha256', group: 'x25519', alpn: '' });
    assert.is(c.role, 'client');
    assert.is(c.remoteAddress.port, s.address().port);
    const sc = await accepted;
    assert.is(sc.role, 'server');
    assert.ok(sc.confirmed);
    assert.is(sc.remoteAddress.port, c.localAddress.port);
    assert.is(s.stats.connections, 1);
    await c.close();
    const info = await sc.closed;
    assert.equal(info, { remote: true, reason: '', application: false, code: 0, error: undefined });
  } finally {
    await s.close();
  }
});

test('a built config works as well as plain options; the server takes a built config directly', async () => {
  const cfg = ServerConfig.builder().staticKey(keys.secret).idleTimeoutMs(5000).build();
  const s = await listen(cfg);
  try {
    assert.is(s.address().address, '0.0.0.0');
    const c = await connect({ host: '127.0.0.1', port: s.address().port, config: ConnectionConfig.builder().serverKey(keys.public).build() });
    assert.ok(c.handshake);
    await c.close();
  } finally {
    await s.close();
  }
});

test('a client pinning the wrong key is refused: JspConnectError with the server\'s BAD_SERVER_KEY', async () => {
  const s = await server({}, false);
  try {
    let n = 0;
    s.on('connection', () => n++);
    const err = await client(s, { serverKey: generateKeyPair().public }).then(() => undefined, (e: unknown) => e);
    assert.instance(err, JspConnectError);
    const e = err as JspConnectError;
    assert.is(e.code, 'ERR_JSP_BAD_SERVER_KEY');
    assert.is(e.transportError?.codeName, 'BAD_SERVER_KEY');
    assert.ok(e.remote, 'the server sent the refusal');
    assert.is(n, 0, 'no connection was handed to the server application');
  } finally {
    await s.close();
  }
});

test('nobody on the port: ECONNREFUSED; a silent port: JspTimeoutError after handshakeTimeoutMs; an aborted signal: AbortError', async () => {
  const free = createSocket('udp4');
  await new Promise<void>((r) => free.bind(0, '127.0.0.1', r));
  const port = free.address().port;
  free.close();
  const refused = await connect({ host: '127.0.0.1', port, serverKey: keys.public }).then(() => undefined, (e: unknown) => e);
  assert.instance(refused, JspConnectError);
  assert.match((refused as Error).message, /ECONNREFUSED/);

  const silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
  try {
    const t0 = Date.now();
    const timeout = await connect({ host: '127.0.0.1', port: silent.address().port, serverKey: keys.public, handshakeTimeoutMs: 300 }).then(() => undefined, (e: unknown) => e);
    assert.instance(timeout, JspTimeoutError);
    assert.is((timeout as JspTimeoutError).code, 'ERR_JSP_TIMEOUT');
    assert.ok(Date.now() - t0 >= 290 && Date.now() - t0 < 3000, `${Date.now() - t0} ms`);

    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('user gave up')), 50);
    const aborted = await connect({ host: '127.0.0.1', port: silent.address().port, serverKey: keys.public, signal: ac.signal }).then(() => undefined, (e: unknown) => e) as Error & { code?: string };
    assert.is(aborted.name, 'AbortError');
    assert.is(aborted.code, 'ABORT_ERR');
    assert.is((aborted.cause as Error).message, 'user gave up');
  } finally {
    silent.close();
  }
});

test('bad options are refused at once with errors naming the option, the value and the range', async () => {
  const port = 9; // never contacted: validation comes first
  await rejects(() => connect({ host: '127.0.0.1', port, serverKey: keys.public, idleTimeoutMs: -1 }), /idleTimeoutMs: -1 is out of range; allowed: an integer in 0\.\.86400000 ms/);
  await rejects(() => connect({ host: '127.0.0.1', port, serverKey: keys.public, idelTimeout: 5 } as never), /connect: unknown option "idelTimeout"/);
  await rejects(() => connect({ host: '127.0.0.1', port, serverKey: new Uint8Array(31) }), /serverKey: 31 bytes; allowed: exactly 32/);
  await rejects(() => connect({ host: '127.0.0.1', port: 70000, serverKey: keys.public }), /port: 70000 is out of range/);
  await rejects(() => connect({ host: '127.0.0.1', port } as never), /serverKey: required/);
  await rejects(() => connect({ host: '127.0.0.1', port, config: ConnectionConfig.builder().serverKey(keys.public).build(), idleTimeoutMs: 5 }), /either config or settings keys/);
  await rejects(() => listen({ staticKeys: [keys.secret], maxStreamsBidi: 1.5 }), /maxStreamsBidi: 1\.5 is out of range/);
  await rejects(() => listen({ staticKey: keys.secret, port: -1 }), /port: -1 is out of range/);
  await rejects(() => listen({} as never), /staticKey: required/);
});

async function rejects(f: () => Promise<unknown>, re: RegExp): Promise<void> {
  const e = await f().then(() => undefined, (x: unknown) => x);
  assert.instance(e, Error, `expected a rejection matching ${re}`);
  assert.match((e as Error).message, re);
  assert.ok(e instanceof TypeError || e instanceof RangeError, `${(e as Error).name}: misuse is a TypeError or RangeError`);
}

test.run();
