/**
 * Liveness through the public API over loopback UDP: ping() gives an RTT sample, keep-alive holds
 * an idle connection open, and the idle timeout closes both sides (IDLE_TIMEOUT, each locally)
 * and ends their streams with a typed error.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JspConnectionClosedError, JspTimeoutError, type JspConnection, type JspStream } from '#jetstreamproto';
import { client, server, sleep } from './api-util.ts';

test('ping() resolves with the round-trip time; a ping the peer cannot answer in time is a JspTimeoutError', async () => {
  const s = await server();
  try {
    const c = await client(s);
    const rtts = [];
    for (let i = 0; i < 5; i++) rtts.push(await c.ping());
    for (const r of rtts) assert.ok(r > 0 && r < 500, `rtt ${r}`);
    assert.ok(c.stats.minRttMs > 0 && c.stats.minRttMs < 500);
    const slow = await c.ping({ timeoutMs: 1 }).then(() => 'answered', (e: unknown) => e);
    // 1 ms is usually too short on a loaded machine, but a fast answer is allowed too.
    if (slow !== 'answered') assert.instance(slow, JspTimeoutError);
    await c.close();
    await assert.not.ok(await c.ping().then(() => true, (e: unknown) => !(e instanceof JspConnectionClosedError)), 'ping on a closed connection rejects with JspConnectionClosedError');
  } finally {
    await s.close();
  }
});

test('the idle timeout closes both sides with IDLE_TIMEOUT and ends open streams with ERR_JSP_IDLE_TIMEOUT', async () => {
  let serverConn: JspConnection | undefined;
  const s = await server({ idleTimeoutMs: 400 }, false);
  s.on('connection', (c) => { serverConn = c; });
  try {
    const c = await client(s, { idleTimeoutMs: 400 });
    const st: JspStream = await c.openStream();
    st.write('hello');
    const streamError = new Promise<Error>((r) => st.on('error', r));
    const t0 = Date.now();
    const [ci, si] = await Promise.all([c.closed, (async () => { while (!serverConn) await sleep(5); return serverConn.closed; })()]);
    const took = Date.now() - t0;
    assert.is(ci.error?.codeName, 'IDLE_TIMEOUT');
    assert.is(si.error?.codeName, 'IDLE_TIMEOUT');
    assert.is(ci.remote, false);
    assert.is(si.remote, false);
    assert.ok(took >= 350 && took < 5000, `closed after ${took} ms`);
    const e = await streamError as JspConnectionClosedError;
    assert.instance(e, JspConnectionClosedError);
    assert.is(e.code, 'ERR_JSP_IDLE_TIMEOUT');
  } finally {
    await s.close();
  }
});

test('keep-alive holds an idle connection open past its idle timeout', async () => {
  const s = await server({ idleTimeoutMs: 400 });
  try {
    const c = await client(s, { idleTimeoutMs: 400, keepAliveIntervalMs: 100 });
    await sleep(1500);
    assert.is(c.closeInfo, undefined, 'still open after 1.5 s with a 400 ms idle timeout');
    assert.ok(c.stats.packetsSent >= 5, `${c.stats.packetsSent} packets: the keep-alive PINGs`);
    const st = await c.openStream();
    st.end('still there');
    let text = '';
    for await (const chunk of st) text += chunk;
    assert.is(text, 'still there');
    await c.close();
  } finally {
    await s.close();
  }
});

test.run();
