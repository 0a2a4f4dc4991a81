/**
 * `jsp client --resume` against `jsp server` as a user runs them (child processes over loopback
 * UDP): the first run leaves a session ticket in the `--tickets` file (0600), the second resumes
 * from it with its stdin in 0-RTT, accepted; a server with `--no-tickets` gives full handshakes;
 * one with `--ticket-secret` resumes tickets of before its restart (crypto.ticket.fleet-keys);
 * bad flags and a damaged ticket file give clear errors. Requirement: crypto.ticket.client-store.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultTicketsPath } from '../../src/cli/client.ts';
import { jsp, jspServer, start } from './cli-util.ts';

const dir = mkdtempSync(join(tmpdir(), 'jsp-cli-resume-'));

test('two --resume runs against one server: the second resumes with 0-RTT accepted and echoes byte-exact', async () => {
  const s = await jspServer([]);
  const tickets = join(dir, 'state', 'tickets.json'); // the directory is made
  try {
    await s.waitFor(/session tickets: on \(0-RTT up to 65536 bytes/);
    const first = await jsp(['client', s.address, '--server-key', s.key, '--resume', '--tickets', tickets], { input: 'first run\n' });
    assert.is(first.code, 0, first.stderr);
    assert.is(first.stdout, 'first run\n');
    assert.match(first.stderr, /jsp client: full handshake \(no usable ticket\)/);
    assert.match(first.stderr, new RegExp(`jsp client: 1 new session ticket saved in ${tickets.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.is(statSync(tickets).mode & 0o777, 0o600, 'the ticket file holds secrets');
    assert.is(JSON.parse(readFileSync(tickets, 'utf8')).tickets.length, 1);
    const second = await jsp(['client', s.address, '--server-key', s.key, '--resume', '--tickets', tickets], { input: 'second run, in 0-RTT\n' });
    assert.is(second.code, 0, second.stderr);
    assert.is(second.stdout, 'second run, in 0-RTT\n');
    assert.match(second.stderr, /jsp client: session resumed; 0-RTT accepted \(\d+ bytes\)/);
    await s.waitFor(/\+ connection 2 from [\d.:]+ \([a-z0-9_]+, [a-z0-9_]+, resumed with 0-RTT\)/);
    assert.is(JSON.parse(readFileSync(tickets, 'utf8')).tickets.length, 1, 'the used ticket was replaced by the new one');
  } finally {
    assert.is(await s.stop('SIGTERM'), 0);
  }
  assert.match(s.stdout(), /totals: 2 connections, 2 streams, .*; tickets: 2 issued, 1 resumed \(1 with 0-RTT\), 0 refused/);
});

test('jsp server --no-tickets: the client reports full handshakes and no ticket', async () => {
  const s = await jspServer(['--no-tickets']);
  const tickets = join(dir, 'none.json');
  try {
    await s.waitFor(/session tickets: off/);
    for (let i = 0; i < 2; i++) {
      const r = await jsp(['client', s.address, '--server-key', s.key, '--resume', '--tickets', tickets], { input: 'x' });
      assert.is(r.code, 0, r.stderr);
      assert.is(r.stdout, 'x');
      assert.match(r.stderr, /jsp client: full handshake \(no usable ticket\)/);
      assert.match(r.stderr, /no session ticket from the server/);
    }
  } finally {
    await s.stop();
  }
});

test('jsp server --ticket-secret: a ticket survives a restart on the same key and port (resumed; 0-RTT refused in the first 10 s); bad files are usage errors', async () => {
  const secret = join(dir, 'ticket-secret');
  writeFileSync(secret, `${'5a'.repeat(32)}\n`, { mode: 0o600 });
  const keyFile = join(dir, 'server.key');
  assert.is((await jsp(['keygen', '--out', keyFile])).code, 0);
  const tickets = join(dir, 'restart.json');
  const first = await jspServer(['--key', keyFile, '--ticket-secret', secret]);
  try {
    await first.waitFor(/session tickets: on \(0-RTT up to 65536 bytes; jsp client --resume; keys from the ticket secret, 0-RTT from 10 s on\)/);
    const r = await jsp(['client', first.address, '--server-key', first.key, '--resume', '--tickets', tickets], { input: 'before\n' });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /1 new session ticket saved/);
  } finally {
    await first.stop('SIGTERM');
  }
  const restarted = start('src/cli/main.ts', ['server', '--listen', first.address, '--key', keyFile, '--ticket-secret', secret]);
  try {
    await restarted.waitFor(/keys from the ticket secret/);
    const r = await jsp(['client', first.address, '--server-key', first.key, '--resume', '--tickets', tickets], { input: 'after the restart\n' });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, 'after the restart\n');
    assert.match(r.stderr, /jsp client: session resumed; 0-RTT rejected/);
  } finally {
    await restarted.stop('SIGTERM');
  }
  assert.match(restarted.stdout(), /tickets: \d+ issued, 1 resumed \(0 with 0-RTT\), 0 refused/);
  writeFileSync(join(dir, 'short'), 'abcd');
  const short = await jsp(['server', '--ticket-secret', join(dir, 'short')]);
  assert.is(short.code, 2);
  assert.match(short.stderr, /--ticket-secret: .*short: expected 64 hex digits/);
  const both = await jsp(['server', '--no-tickets', '--ticket-secret', secret]);
  assert.is(both.code, 2);
  assert.match(both.stderr, /choose --no-tickets or --ticket-secret, not both/);
});

test('bad --resume usage: --tickets alone exits 2 with the usage; a damaged ticket file exits 1 naming it', async () => {
  const key = 'ab'.repeat(32);
  const alone = await jsp(['client', '127.0.0.1:4433', '--server-key', key, '--tickets', join(dir, 't.json')]);
  assert.is(alone.code, 2);
  assert.match(alone.stderr, /--tickets goes with --resume\n\njsp client /);
  const missing = await jsp(['client', '127.0.0.1:4433', '--server-key', key, '--resume', '--tickets']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /--tickets needs a value/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"type":"jsp-ticket-store","version":1,"tickets":[{"serverKey":{"$hex":"00"}}]}');
  const damaged = await jsp(['client', '127.0.0.1:4433', '--server-key', key, '--resume', '--tickets', bad]);
  assert.is(damaged.code, 1);
  assert.match(damaged.stderr, new RegExp(`--tickets: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: tickets\\[0\\]\\.serverKey must be 32 bytes \\(delete it to start afresh\\)`));
  const server = await jsp(['server', '--no-tickets', '--frobnicate']);
  assert.is(server.code, 2);
  const help = await jsp(['client', '--help']);
  assert.match(help.stdout, /--resume {15}resume a session/);
  assert.match((await jsp(['server', '--help'])).stdout, /--no-tickets/);
});

test('the default ticket file: $XDG_STATE_HOME/jsp/tickets.json, else ~/.local/state/jsp/tickets.json', () => {
  assert.is(defaultTicketsPath({ XDG_STATE_HOME: '/var/state' }, '/home/u'), '/var/state/jsp/tickets.json');
  assert.is(defaultTicketsPath({}, '/home/u'), '/home/u/.local/state/jsp/tickets.json');
  assert.is(defaultTicketsPath({ XDG_STATE_HOME: 'relative' }, '/home/u'), '/home/u/.local/state/jsp/tickets.json', 'a relative one is ignored');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
