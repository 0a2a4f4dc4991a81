/**
 * One server under load over loopback UDP: 200 concurrent connections each echoing a stream,
 * and garbage datagrams sprayed at the server while a real connection carries on.
 */
import { createSocket } from 'node:dgram';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JspConnection } from '#jetstreamproto';
import { bytes, client, readAll, server, sha256, writeAll } from './api-util.ts';

test('200 concurrent connections to one server, each echoing 4 KiB byte-exact', async () => {
  const s = await server();
  const conns: JspConnection[] = [];
  try {
    let seen = 0;
    s.on('connection', () => seen++);
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const c = await client(s);
      conns.push(c);
      const st = await c.openStream();
      const data = bytes(4096, i + 11);
      const [echo] = await Promise.all([readAll(st), writeAll(st, data)]);
      return sha256(echo) === sha256(data) && echo.length === data.length;
    }));
    const ms = performance.now() - t0;
    assert.is(results.filter(Boolean).length, 200);
    assert.is(seen, 200);
    assert.is(s.stats.connections, 200);
    assert.is(s.stats.internalErrors, 0);
    console.log(`    200 connections handshaken and echoed in ${ms.toFixed(0)} ms`);
  } finally {
    await Promise.all(conns.map((c) => c.close({ drain: false })));
    await s.close();
  }
});

test('garbage datagrams at the server are dropped while a real connection carries 2 MB both ways', async () => {
  const s = await server();
  const junk = createSocket('udp4');
  let stop = false;
  try {
    const c = await client(s);
    const port = s.address().port;
    let sent = 0;
    const spray = (async () => {
      let i = 0;
      while (!stop) {
        const n = [0, 1, 5, 20, 64, 1200, 1300, 1472][i % 8];
        const d = bytes(n, ++i);
        if (n > 0 && i % 3 === 0) d[0] = 0xc0; // looks like a long header (Initial)
        if (n > 0 && i % 3 === 1) d[0] = 0x40; // looks like a short header
        junk.send(d, port, '127.0.0.1');
        sent++;
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 10)); // about 2,000 a second
      }
    })();
    const st = await c.openStream();
    const data = bytes(2 << 20, 77);
    const [echo] = await Promise.all([readAll(st), writeAll(st, data)]);
    stop = true;
    await spray;
    assert.is(echo.length, data.length);
    assert.is(sha256(echo), sha256(data));
    assert.ok(sent > 100, `${sent} garbage datagrams sent`);
    const stats = s.stats;
    assert.is(stats.internalErrors, 0, 'no datagram made the endpoint throw');
    assert.ok(stats.unroutable > 0, JSON.stringify(stats));
    assert.is(stats.connections, 1, 'no connection was made of garbage');
    await c.close();
  } finally {
    stop = true;
    junk.close();
    await s.close();
  }
});

test.run();
