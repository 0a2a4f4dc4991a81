/**
 * FileReplayRecord: the anti-replay record shared by server processes through a directory
 * (crypto.anti-replay.single-use, crypto.anti-replay.bounded) — single use across instances,
 * expiry by mtime, dead entries replaced, capacity, and failing closed on file-system errors.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileReplayRecord } from '../../src/node/replay-record.ts';

const root = mkdtempSync(join(tmpdir(), 'jsp-replay-'));
let n = 0;
const freshDir = () => join(root, `d${n++}`);
const id = (k: number) => new Uint8Array(16).fill(k);
const T = 1_700_000_000_000; // wall-clock ms

test('an id is fresh once, then replayed — in this instance and in another one on the same directory', () => {
  const dir = freshDir();
  const a = new FileReplayRecord(dir), b = new FileReplayRecord(dir);
  assert.is(a.record(id(1), T), 'fresh');
  assert.is(a.record(id(1), T + 1), 'replayed');
  assert.is(b.record(id(1), T + 2), 'replayed', 'the other process sees it');
  assert.is(b.record(id(2), T + 3), 'fresh');
  assert.is(a.record(id(2), T + 4), 'replayed');
  assert.equal(readdirSync(dir).sort(), ['01'.repeat(16), '02'.repeat(16)]);
  assert.is(a.size, 1);
});

test('expiry by mtime: after the window an id is fresh again; pruning removes dead entries', () => {
  const dir = freshDir();
  const r = new FileReplayRecord(dir, { windowMs: 1000 });
  assert.is(r.record(id(1), T), 'fresh');
  assert.is(r.record(id(1), T + 999), 'replayed');
  assert.is(r.record(id(1), T + 1000), 'fresh', 'the dead entry was replaced');
  assert.is(r.record(id(2), T + 1500), 'fresh');
  assert.is(r.record(id(3), T + 5000), 'fresh'); // a pruning pass: ids 1 and 2 are dead
  assert.equal(readdirSync(dir), ['03'.repeat(16)]);
  assert.is(r.size, 1);
});

test('a fresh entry is never replaced: one whose mtime another process renewed stays', () => {
  const dir = freshDir();
  const r = new FileReplayRecord(dir, { windowMs: 1000 });
  assert.is(r.record(id(7), T), 'fresh');
  utimesSync(join(dir, '07'.repeat(16)), (T + 5000) / 1000, (T + 5000) / 1000); // recorded anew elsewhere
  assert.is(r.record(id(7), T + 5500), 'replayed');
  assert.ok(existsSync(join(dir, '07'.repeat(16))));
});

test('bounded: when full of fresh entries, new ids are refused (full), known ones still replayed', () => {
  const dir = freshDir();
  const r = new FileReplayRecord(dir, { windowMs: 1000, capacity: 2 });
  assert.is(r.record(id(1), T), 'fresh');
  assert.is(r.record(id(2), T), 'fresh');
  assert.is(r.record(id(3), T + 1), 'full');
  assert.is(r.record(id(1), T + 2), 'replayed');
  assert.is(r.rejectedFull, 1);
  assert.is(r.record(id(3), T + 2000), 'fresh', 'room again once the others died');
  assert.is(new FileReplayRecord(dir, { capacity: 1 }).record(id(4), T + 2001), 'full', 'another instance counts the directory');
});

test('failing closed: a directory that is gone or a file answers unavailable, counted', () => {
  const dir = freshDir();
  const r = new FileReplayRecord(dir);
  rmSync(dir, { recursive: true });
  writeFileSync(dir, 'not a directory');
  assert.is(r.record(id(1), T), 'unavailable');
  assert.is(r.record(id(1), T + 1), 'unavailable');
  assert.is(r.errors, 2);
  assert.match(String(r.lastError), /ENOTDIR/);
});

test('bad options and ids: typed errors', () => {
  assert.throws(() => new FileReplayRecord(''), TypeError);
  assert.throws(() => new FileReplayRecord(freshDir(), { windowMs: 50 }), (e: Error) => e instanceof RangeError && /windowMs: 50 is out of range/.test(e.message));
  assert.throws(() => new FileReplayRecord(freshDir(), { capacity: 0 }), (e: Error) => e instanceof RangeError && /capacity: 0 is out of range/.test(e.message));
  const file = join(root, 'plain');
  writeFileSync(file, '');
  assert.throws(() => new FileReplayRecord(file), (e: Error) => /EEXIST|ENOTDIR|not a directory/.test(e.message));
  assert.is(new FileReplayRecord(freshDir()).record(new Uint8Array(0), T), 'unavailable', 'an empty id is never recorded');
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
