/** Structured logs (levels, JSON lines, children, silent default) and qlog JSON-SEQ traces per the qlog draft. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonLinesSink, Logger, type LogRecord } from '../../src/node/log.ts';
import { QlogWriter, qlogFile } from '../../src/node/qlog.ts';

const fixed = () => new Date('2026-11-24T12:00:00.000Z');

test('silent by default: nothing reaches the sink, and enabled() says so', () => {
  const got: LogRecord[] = [];
  const log = new Logger({ sink: (r) => got.push(r), clock: fixed });
  log.error('x');
  assert.is(got.length, 0);
  assert.not.ok(log.enabled('error'));
});

test('levels filter; children add fields; records are JSON lines with bytes as hex and errors as objects', () => {
  const lines: string[] = [];
  const log = new Logger({ level: 'info', sink: jsonLinesSink({ write: (s: string) => lines.push(s) }), clock: fixed });
  const conn = log.child({ conn: 'a1b2' });
  conn.debug('hidden');
  conn.info('handshake confirmed', { rttMs: 20, cid: Uint8Array.of(1, 2), n: 5n });
  conn.error('closed', { err: Object.assign(new Error('boom'), { code: 0x100 }) });
  assert.is(lines.length, 2);
  assert.ok(lines.every((l) => l.endsWith('\n')));
  assert.equal(JSON.parse(lines[0]), { time: '2026-11-24T12:00:00.000Z', level: 'info', msg: 'handshake confirmed', conn: 'a1b2', rttMs: 20, cid: '0102', n: '5' });
  assert.equal(JSON.parse(lines[1]).err, { name: 'Error', message: 'boom', code: 256 });
  assert.throws(() => new Logger({ level: 'loud' as never }), /logLevel: "loud" is not allowed/);
});

test('qlog: a JSON-SEQ header with the sequential schema and the vantage point, then RS-prefixed events with relative times', () => {
  let out = '';
  const q = new QlogWriter((s) => { out += s; }, { title: 'jsp test', vantage: 'client', groupId: 'c0ffee', referenceTimeMs: 1000 });
  q.event(1000.5, 'quic:packet_sent', { header: { packet_type: 'initial', packet_number: 0 }, raw: { length: 1200 } });
  q.event(1021, 'quic:connection_state_updated', { old: 'handshake', new: 'handshake_confirmed' });
  const records = out.split('\u001e').slice(1);
  assert.is(records.length, 3);
  assert.ok(out.startsWith('\u001e') && records.every((r) => r.endsWith('\n')));
  const header = JSON.parse(records[0]);
  assert.is(header.file_schema, 'urn:ietf:params:qlog:file:sequential');
  assert.is(header.serialization_format, 'application/qlog+json-seq');
  assert.equal(header.trace.vantage_point, { name: 'jsp', type: 'client' });
  assert.equal(header.trace.event_schemas, ['urn:ietf:params:qlog:events:quic']);
  assert.is(header.trace.common_fields.group_id, 'c0ffee');
  const e1 = JSON.parse(records[1]);
  assert.equal(e1, { time: 0.5, name: 'quic:packet_sent', data: { header: { packet_type: 'initial', packet_number: 0 }, raw: { length: 1200 } } });
  assert.is(JSON.parse(records[2]).time, 21);
  for (const r of records) for (const k of Object.keys(JSON.parse(r))) assert.is(k, k.toLowerCase());
});

test('qlog files are written as <dir>/<group>_<vantage>.sqlog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jsp-qlog-'));
  try {
    const f = qlogFile(join(dir, 'sub'), { title: 't', vantage: 'server', groupId: 'ab12', referenceTimeMs: 0 });
    f.writer.event(3, 'quic:packet_received', { raw: { length: 40 } });
    f.close();
    assert.is(f.path, join(dir, 'sub', 'ab12_server.sqlog'));
    const text = readFileSync(f.path, 'utf8');
    assert.is(text.split('\u001e').length - 1, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
