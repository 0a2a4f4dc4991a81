/** FileTicketStore: tickets survive the process (crypto.ticket.client-store), the file is 0600, a damaged file is a typed error. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultTransportParameters } from '../../src/core/handshake/index.ts';
import type { ClientTicket } from '../../src/core/tickets/index.ts';
import { FileTicketStore, TicketStoreError } from '../../src/node/ticket-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'jsp-tickets-'));
const key = (n: number) => new Uint8Array(32).fill(n);
const ticket = (server: number, at: number, lifetimeS = 60): ClientTicket => ({
  serverKey: key(server), ticket: Uint8Array.of(1, 2, 3, at & 0xff), psk: new Uint8Array(32).fill(9), version: 1, suite: 1, alpn: 'x',
  transportParameters: { ...defaultTransportParameters(), initialMaxData: 1000, initialSourceConnectionId: Uint8Array.of(5, 6) },
  receivedAtMs: at, lifetimeS, ageAdd: 7, maxEarlyData: 100,
});

test('tickets persist across instances, keyed by server; a taken or expired ticket is gone from the file', () => {
  const path = join(dir, 'a.json');
  const s1 = new FileTicketStore(path);
  s1.put(ticket(1, 1000));
  s1.put(ticket(1, 2000));
  s1.put(ticket(2, 1000, 1));
  assert.is(statSync(path).mode & 0o777, 0o600);
  const s2 = new FileTicketStore(path);
  assert.is(s2.count(key(1)), 2);
  const t = s2.take(key(1), 3000)!;
  assert.is(t.receivedAtMs, 2000, 'the newest first');
  assert.equal(t.transportParameters.initialSourceConnectionId, Uint8Array.of(5, 6));
  assert.is(s2.take(key(2), 5000), undefined, 'expired');
  const s3 = new FileTicketStore(path);
  assert.is(s3.count(key(1)), 1);
  assert.is(s3.count(key(2)), 0);
  assert.is(s3.take(key(3), 3000), undefined);
});

test('a damaged store file is a TicketStoreError naming the file', () => {
  for (const [name, text] of [['junk', '{nope'], ['type', '{"type":"other","version":1,"tickets":[]}'], ['field', '{"type":"jsp-ticket-store","version":1,"tickets":[{"serverKey":{"$hex":"00"}}]}']]) {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, text);
    assert.throws(() => new FileTicketStore(path), (e: Error) => e instanceof TicketStoreError && e.message.includes(path), name);
  }
  assert.ok(readFileSync(join(dir, 'junk.json'), 'utf8').length > 0, 'left as it was');
});

test.run();
