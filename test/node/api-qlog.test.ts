/**
 * qlog from a real run over loopback UDP: with `qlogDir` (server) and `QLOGDIR` (client) each
 * connection writes `<odcid>_<vantage>.sqlog`, valid JSON-SEQ (RFC 7464: every record starts
 * with RS and ends with LF) whose first record is the header of draft-ietf-quic-qlog-main-schema
 * (file_schema, serialization_format, trace with vantage point and event schema), followed by
 * events with non-decreasing relative times: state changes, packets sent and received, recovery
 * metrics and the 1-RTT keys. Also the observer's key-update bookkeeping on synthetic trace events.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Logger } from '#jetstreamproto';
import type { Connection } from '../../src/core/connection/index.ts';
import { ConnectionObserver, type KeyUpdate } from '../../src/node/api/observe.ts';
import { client, readAll, server } from './api-util.ts';

function parseSeq(text: string): Record<string, unknown>[] {
  assert.ok(text.startsWith('\u001e'), 'starts with RS');
  const records = text.split('\u001e').slice(1);
  for (const r of records) assert.ok(r.endsWith('\n'), 'each record ends with LF');
  return records.map((r) => JSON.parse(r) as Record<string, unknown>);
}

test('a run writes one valid JSON-SEQ trace per connection and side, with the header first and packet events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jsp-qlog-api-'));
  const old = process.env.QLOGDIR;
  try {
    const s = await server({ qlogDir: join(dir, 'server') });
    process.env.QLOGDIR = join(dir, 'client');
    const c = await client(s);
    delete process.env.QLOGDIR;
    const st = await c.openStream();
    st.end('x'.repeat(50_000));
    assert.is((await readAll(st)).length, 50_000);
    await c.ping();
    const path = c.qlogPath!;
    await c.close();
    await s.close();
    assert.ok(path.endsWith('_client.sqlog'), path);
    const serverFiles = readdirSync(join(dir, 'server'));
    assert.equal(serverFiles, [path.split('/').pop()!.replace('_client', '_server')], 'the server traces the same connection under the same group id');
    for (const [file, vantage] of [[path, 'client'], [join(dir, 'server', serverFiles[0]), 'server']] as const) {
      const records = parseSeq(readFileSync(file, 'utf8'));
      const header = records[0] as { file_schema: string; serialization_format: string; trace: { vantage_point: { type: string }; event_schemas: string[]; common_fields: { group_id: string; time_format: string } } };
      assert.is(header.file_schema, 'urn:ietf:params:qlog:file:sequential');
      assert.is(header.serialization_format, 'application/qlog+json-seq');
      assert.is(header.trace.vantage_point.type, vantage);
      assert.equal(header.trace.event_schemas, ['urn:ietf:params:qlog:events:quic']);
      assert.ok(file.includes(header.trace.common_fields.group_id));
      const events = records.slice(1) as { time: number; name: string; data: Record<string, unknown> }[];
      let t = -Infinity;
      for (const e of events) {
        assert.type(e.time, 'number');
        assert.ok(e.time >= t - 0.001, `time ${e.time} after ${t}`);
        t = e.time;
        assert.ok(e.name.startsWith('quic:'), e.name);
      }
      const names = new Set(events.map((e) => e.name));
      for (const n of ['quic:connection_state_updated', 'quic:packet_sent', 'quic:packet_received', 'quic:recovery_metrics_updated', 'quic:key_updated', 'quic:connection_closed']) {
        assert.ok(names.has(n), `${vantage}: ${n} missing (has ${[...names].join(', ')})`);
      }
      const states = events.filter((e) => e.name === 'quic:connection_state_updated').map((e) => e.data.new);
      assert.equal(states.slice(0, 3), ['attempted', 'handshake_complete', 'handshake_confirmed']);
      assert.is(states.at(-1), 'closed');
      const sent = events.filter((e) => e.name === 'quic:packet_sent') as unknown as { data: { header: { packet_type: string; packet_number: number }; raw: { length: number }; frames: { frame_type: string }[] } }[];
      assert.is(sent[0].data.header.packet_type, 'initial');
      assert.ok(sent.some((e) => e.data.header.packet_type === '1RTT' && e.data.frames.some((f) => f.frame_type === 'stream')));
      assert.ok(sent.every((e) => e.data.raw.length > 0));
      const n1 = sent.filter((e) => e.data.header.packet_type === '1RTT').map((e) => e.data.header.packet_number);
      assert.ok(n1.every((n, i) => i === 0 || n > n1[i - 1]), '1-RTT packet numbers grow');
    }
  } finally {
    if (old === undefined) delete process.env.QLOGDIR; else process.env.QLOGDIR = old;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the observer reports key updates with who started them, and counts packets', () => {
  const fake = { role: 'client', originalDcid: new Uint8Array(8), remote: '127.0.0.1:1', recovery: undefined } as unknown as Connection;
  const o = new ConnectionObserver(fake, { logger: new Logger(), qlogDir: undefined, now: 0 });
  const updates: KeyUpdate[] = [];
  o.onKeyUpdate = (u) => updates.push(u);
  const pkt = (type: 'packet_sent' | 'packet_received', keyPhase: number) => o.onTrace({ type, now: 1, level: 'app', packetNumber: 1, bytes: 100, frames: [], keyPhase });
  pkt('packet_sent', 0);
  pkt('packet_received', 0);
  pkt('packet_sent', 1); // we update
  pkt('packet_received', 1); // the peer follows
  pkt('packet_received', 2); // the peer updates
  pkt('packet_sent', 2); // we follow
  assert.equal(updates, [
    { direction: 'send', generation: 1, trigger: 'local_update' },
    { direction: 'receive', generation: 1, trigger: 'local_update' },
    { direction: 'receive', generation: 2, trigger: 'remote_update' },
    { direction: 'send', generation: 2, trigger: 'remote_update' },
  ]);
  assert.equal({ sent: o.counters.packetsSent, received: o.counters.packetsReceived, bytes: o.counters.bytesSent }, { sent: 3, received: 3, bytes: 300 });
});

test.run();
