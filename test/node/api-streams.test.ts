/**
 * Streams of the public API over loopback UDP: 100 concurrent streams echoing byte-exact both
 * ways, peer streams by event, acceptStream() and async iteration, unidirectional streams, the
 * stream limit making openStream wait (and an AbortSignal ending the wait), resets and
 * STOP_SENDING as typed errors, and the Web Streams view.
 */
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JspStreamResetError, JspStreamStoppedError, type JspStream } from '#jetstreamproto';
import { bytes, client, readAll, server, sha256, waitFor, writeAll } from './api-util.ts';

test('100 concurrent bidirectional streams echo their data byte-exact both ways', async () => {
  const s = await server();
  try {
    const c = await client(s);
    const sizes = Array.from({ length: 100 }, (_, i) => [0, 1, 1199, 1200, 65_536, 200_001][i % 6] + i * 37);
    const results = await Promise.all(sizes.map(async (n, i) => {
      const st = await c.openStream();
      const data = bytes(n, i + 1);
      const [echoed] = await Promise.all([readAll(st), writeAll(st, data, 16_384)]);
      return { sent: sha256(data), got: sha256(echoed), n, len: echoed.length };
    }));
    for (const r of results) {
      assert.is(r.len, r.n);
      assert.is(r.got, r.sent);
    }
    assert.is(results.length, 100);
    const total = sizes.reduce((a, b) => a + b, 0);
    assert.ok(c.stats.bytesReceived > total, `received ${c.stats.bytesReceived} bytes for ${total} of echoed data`);
    await c.close();
  } finally {
    await s.close();
  }
});

test('peer streams arrive by acceptStream(), async iteration and the stream event; unidirectional streams have one side', async () => {
  const s = await server({}, false);
  try {
    const accepted = s.accept();
    const c = await client(s);
    const sc = await accepted;
    // The server opens streams towards the client: the client takes them three ways.
    const a = await sc.openStream();
    a.end('via accept');
    const st1 = await c.acceptStream();
    assert.is((await readAll(st1)).toString(), 'via accept');
    assert.ok(st1.bidi && !st1.local);

    const u = await sc.openStream({ bidi: false });
    assert.is(u.readable, false);
    u.end('one way');
    for await (const st of c) {
      assert.is(st.bidi, false);
      assert.is(st.writable, false);
      assert.is((await readAll(st)).toString(), 'one way');
      break;
    }

    const viaEvent = once(c, 'stream') as Promise<[JspStream]>;
    const b = await sc.openStream();
    b.end('via event');
    const [st3] = await viaEvent;
    assert.is((await readAll(st3)).toString(), 'via event');
    st1.end(); st3.end();
    await c.close();
  } finally {
    await s.close();
  }
});

test('openStream waits while the peer\'s stream limit is reached, resumes when a stream ends, and an AbortSignal ends the wait', async () => {
  const s = await server({ maxStreamsBidi: 2 });
  try {
    const c = await client(s);
    const a = await c.openStream();
    const b = await c.openStream();
    let third: JspStream | undefined;
    const pending = c.openStream().then((x) => { third = x; return x; });
    const ac = new AbortController();
    const aborted = c.openStream({ signal: ac.signal }).then(() => 'opened', (e: Error) => e.name);
    await new Promise((r) => setTimeout(r, 100));
    assert.is(third, undefined, 'the third stream waits for the limit');
    ac.abort();
    assert.is(await aborted, 'AbortError');
    a.end('x');
    assert.is((await readAll(a)).toString(), 'x'); // echoed and closed: the server's MAX_STREAMS follows
    const t = await pending;
    assert.ok(t.id !== a.id && t.id !== b.id);
    t.end('third');
    assert.is((await readAll(t)).toString(), 'third');
    b.end();
    await readAll(b);
    await c.close();
  } finally {
    await s.close();
  }
});

test('destroy(err) resets the peer\'s reading side (JspStreamResetError with the code) and stops its writing side (JspStreamStoppedError)', async () => {
  const s = await server({}, false);
  try {
    const accepted = s.accept();
    const c = await client(s);
    const sc = await accepted;
    const st = await c.openStream();
    st.write('some data');
    const [peer] = (await once(sc, 'stream')) as [JspStream];
    const chunk = await new Promise<Buffer>((r) => peer.once('data', r));
    assert.is(chunk.toString(), 'some data');
    const errors: Error[] = [];
    peer.on('error', (e) => errors.push(e));
    st.on('error', () => {});
    st.destroy(Object.assign(new Error('cancelled'), { errorCode: 42 }));
    await waitFor(() => errors.length >= 1, 3000, 'the peer to see the reset');
    const reset = errors.find((e) => e instanceof JspStreamResetError) as JspStreamResetError | undefined;
    const stopped = errors.find((e) => e instanceof JspStreamStoppedError) as JspStreamStoppedError | undefined;
    const err = (reset ?? stopped)!;
    assert.ok(err, errors.map((e) => e.message).join('; '));
    assert.is(err.errorCode, 42);
    assert.is(err.streamId, st.id);
    assert.ok(peer.destroyed);
    await c.close();
  } finally {
    await s.close();
  }
});

test('toWeb() gives a ReadableStream/WritableStream pair that carries the same bytes', async () => {
  const s = await server();
  try {
    const c = await client(s);
    const { readable, writable } = (await c.openStream()).toWeb();
    const w = writable.getWriter();
    await w.write(new TextEncoder().encode('web '));
    await w.write(new TextEncoder().encode('streams'));
    await w.close();
    let text = '';
    for await (const chunk of readable) text += new TextDecoder().decode(chunk as Uint8Array);
    assert.is(text, 'web streams');
    await c.close();
  } finally {
    await s.close();
  }
});

test.run();
