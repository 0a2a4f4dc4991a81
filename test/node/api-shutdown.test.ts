/**
 * Graceful shutdown through the public API over loopback UDP: `await server.close()` with
 * streams still sending delivers everything written before the close (with the FIN), then
 * closes each connection with NO_ERROR, refuses new ones and releases the socket;
 * `connection.close()` drains the same way.
 */
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import { JspConnectError, JspConnectionClosedError, type JspStream } from '#jetstreamproto';
import { bytes, client, readAll, server, sha256 } from './api-util.ts';

test('server.close() with open streams: the data written before the close arrives, then the clients see a clean close', async () => {
  const s = await server({}, false);
  const PER_STREAM = 512 << 10;
  const written = new Map<number, string>();
  let requests = 0;
  s.on('connection', (conn) => conn.on('stream', (st: JspStream) => {
    st.once('data', () => {
      requests++;
      const data = bytes(PER_STREAM, st.id + 1);
      written.set(st.id, sha256(data));
      st.write(data); // not ended: the server's close does it
    });
  }));
  const c = await client(s);
  const streams = await Promise.all(Array.from({ length: 8 }, () => c.openStream()));
  const reads = streams.map((st) => { st.write('request'); return readAll(st); });
  while (requests < streams.length) await new Promise((r) => setTimeout(r, 2));
  const closing = s.close();
  const [bodies] = await Promise.all([Promise.all(reads), closing]);
  streams.forEach((st, i) => {
    assert.is(bodies[i].length, PER_STREAM, `stream ${st.id}`);
    assert.is(sha256(bodies[i]), written.get(st.id));
  });
  const info = await c.closed;
  assert.equal(info, { remote: true, reason: 'server closing', application: false, code: 0, error: undefined });
  assert.ok(s.closing);
  assert.is(s.stats.connections, 0);
  const after = await client(s, { handshakeTimeoutMs: 300 }).then(() => 'connected', (e: unknown) => e);
  assert.instance(after, Error, 'the socket is released: nobody answers');
});

test('connection.close() drains: the writer\'s last bytes and FIN arrive before CONNECTION_CLOSE', async () => {
  const s = await server({}, false);
  try {
    const got = new Promise<string>((resolve) => s.on('connection', (conn) => conn.on('stream', (st) => {
      const h = createHash('sha256');
      st.on('data', (d) => h.update(d));
      st.on('end', () => resolve(h.digest('hex')));
    })));
    const c = await client(s);
    const st = await c.openStream({ bidi: false });
    const data = bytes(3 << 20, 3);
    st.write(data);
    await c.close({ reason: 'done' });
    assert.is(await got, sha256(data));
    assert.equal(c.closeInfo, { remote: false, reason: 'done', application: false, code: 0, error: undefined });
    assert.ok(st.destroyed || st.writableFinished);
    await c.close(); // a second close is a no-op
    const refused = await client(s, { serverKey: new Uint8Array(32).fill(9) }).then(() => undefined, (e: unknown) => e);
    assert.instance(refused, JspConnectError);
  } finally {
    await s.close();
  }
});

test('close({ code }) closes at once with an application close of that code; the peer\'s streams end with the error', async () => {
  const s = await server({}, false);
  try {
    const accepted = s.accept();
    const c = await client(s);
    const sc = await accepted;
    const st = await c.openStream();
    st.write('pending');
    const [peer] = (await once(sc, 'stream')) as [JspStream];
    const peerError = new Promise<Error>((r) => peer.once('error', r));
    st.on('error', () => {});
    await c.close({ code: 42, reason: 'app says no' });
    const info = await sc.closed;
    assert.equal(info, { remote: true, reason: 'app says no', application: true, code: 42, error: undefined });
    const e = await peerError as JspConnectionClosedError;
    assert.instance(e, JspConnectionClosedError);
    assert.is(e.applicationCode, 42);
    assert.match(e.message, /by the peer \(application error 42: app says no\)/);
  } finally {
    await s.close();
  }
});

test.run();
