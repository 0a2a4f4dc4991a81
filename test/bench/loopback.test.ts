/**
 * The loopback bench's contenders move every byte over real sockets and report sane numbers (the
 * shape, not the speed): small transfers so the test stays quick.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loopbackContenders as c } from '../../src/bench/loopback.ts';

test('JSP on 1 and 4 streams, TLS and http2 deliver 1 MB each (they throw on a short count)', async () => {
  for (const rate of [await c.jspBulk(1e6, 1), await c.jspBulk(1e6, 4), await c.tlsBulk(1e6), await c.http2Bulk(1e6, 10)]) {
    assert.ok(rate > 1e4 && Number.isFinite(rate), `${rate} B/s`);
  }
});

test('the raw dgram blast measures what arrives', async () => {
  const rate = await c.rawDgram(100);
  assert.ok(rate > 1e5, `${rate} B/s`);
});

test('heap per idle connection is measured over real connections', async () => {
  const perConn = await c.jspIdleHeap(20);
  assert.ok(perConn > 100 && perConn < 1e6, `${perConn} B`);
});

test.run();
