/** Every program in examples/ runs as its README says, and prints what it should. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { root, run, start } from './cli-util.ts';

test('examples/ holds exactly the programs this file runs', () => {
  assert.equal(readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort(), ['chat.ts', 'echo-client.ts', 'echo-server.ts']);
});

test('echo-server.ts + echo-client.ts: the message comes back, a ping, and the server sees the client come and go', async () => {
  const server = start('examples/echo-server.ts', ['0']);
  try {
    const m = await server.waitFor(/listening on (127\.0\.0\.1:\d+)\nserver key: ([0-9a-f]{64})/);
    const r = await run('examples/echo-client.ts', [m[1], m[2], 'hello from the test'], { timeoutMs: 15_000 });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^connected \(\w+, \w+\)\necho: hello from the test\nping: [\d.]+ ms\n$/);
    await server.waitFor(/connection from 127\.0\.0\.1:\d+\n127\.0\.0\.1:\d+ left/);
  } finally {
    assert.is(await server.stop('SIGINT'), 0);
  }
  assert.match(server.stdout(), /\nclosed\n$/);
});

test('echo-client.ts without arguments prints its usage, exit 2', async () => {
  const r = await run('examples/echo-client.ts', []);
  assert.is(r.code, 2);
  assert.match(r.stderr, /usage: echo-client\.ts HOST:PORT SERVER_KEY/);
});

test('chat.ts: each line reaches the other members, joins and leaves are announced', async () => {
  const r = await run('examples/chat.ts', [], { timeoutMs: 20_000 });
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  for (const want of [
    '[ada sees] * bob joined', '[ada sees] * cy joined', '[bob sees] * cy joined',
    '[bob sees] ada: hello everyone', '[cy sees] ada: hello everyone',
    '[ada sees] bob: hi ada!', '[cy sees] bob: hi ada!',
    '[ada sees] cy: bye for now', '[bob sees] cy: bye for now',
    '[ada sees] * cy left', '[bob sees] * cy left',
  ]) assert.ok(lines.includes(want), `missing '${want}' in:\n${r.stdout}`);
  assert.not.ok(lines.some((l) => /^\[(\w+) sees\] \1:/.test(l)), 'nobody hears their own lines');
  assert.is(lines.at(-1), 'chat closed');
});

test.run();
