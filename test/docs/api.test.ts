/**
 * The API reference (src/docs/typedoc.ts): typedoc over src/index.ts, once, into a temporary
 * directory. It must build without errors (warnings are allowed and reported) and document the
 * public API: the codec runtime and the generated codec.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildApi } from '../../src/docs/typedoc.ts';

const out = mkdtempSync(join(tmpdir(), 'jsp-api-'));

test('typedoc builds the API reference of src/index.ts, quietly and in seconds', async () => {
  const r = await buildApi(out);
  assert.is(r.errors, 0, 'typedoc errors');
  assert.ok(r.built);
  assert.ok(r.ms < 120_000, `typedoc took ${r.ms} ms (a slow machine? or the program grew beyond src/index.ts)`);
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(index, /<title>JetStreamProto API/);
  for (const page of ['classes/Reader.html', 'classes/Writer.html', 'classes/DecodeError.html', 'functions/decodeFrames.html', 'functions/encodeFrame.html']) {
    assert.ok(existsSync(join(out, page)), `no ${page}`);
  }
  assert.match(readFileSync(join(out, 'functions/decodeFrames.html'), 'utf8'), /decodeFrames/);
});

test.after(() => rmSync(out, { recursive: true, force: true }));

test.run();
