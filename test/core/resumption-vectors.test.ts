/**
 * The runtime against conformance/vectors/handshake/resumption.json: the ticket encryption and
 * the resumption key schedule (computed there from node:crypto alone), and every resumption case
 * (crypto.ticket.encryption, crypto.ticket.fleet-keys, crypto.resumption.psk, crypto.ticket.reject-fallback,
 * crypto.anti-replay.single-use, crypto.anti-replay.ticket-age, crypto.early-data.unsafe-parameters).
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nobleProvider, nodeProvider } from '../../src/crypto/index.ts';
import { deriveKeyMaterial } from '../../src/core/protection/keys.ts';
import { clientEarlySecret, earlySecret, periodTicketKeySecret, resumedSecrets, TicketKeys, ticketKeyMaterial, ticketPsk } from '../../src/core/tickets/index.ts';
import { SUITES } from '../../src/gen/crypto.ts';
import { decodeSessionTicket } from '../../src/gen/messages.ts';
import { runResumption } from '../../conformance/handshake/run-resumption.ts';

const file = JSON.parse(readFileSync(new URL('../../conformance/vectors/handshake/resumption.json', import.meta.url), 'utf8'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

for (const [name, p] of [['node', nodeProvider], ['noble', nobleProvider]] as const) {
  test(`${name}: ticket encryption reproduces the vector and opens it (crypto.ticket.encryption)`, () => {
    const v = file.ticket_encryption;
    const m = ticketKeyMaterial(p, unhex(v.ticket_key_secret));
    assert.is(hex(m.key), v.ticket_key);
    assert.is(hex(m.id), v.ticket_key_id);
    const keys = new TicketKeys({ provider: p, rng: () => unhex(v.nonce) }, 0, unhex(v.ticket_key_secret));
    assert.is(hex(keys.seal(0, unhex(v.session_ticket_encoded))), v.ticket);
    const opened = keys.open(0, unhex(v.ticket));
    assert.ok(opened.ok);
    if (opened.ok) assert.is(decodeSessionTicket(opened.plaintext).ticketId.length, 16);
    const bad = unhex(v.ticket);
    bad[30] ^= 1;
    assert.equal(keys.open(0, bad), { ok: false, reason: 'tampered' });
  });

  test(`${name}: fleet ticket keys reproduce the vector for each rotation period (crypto.ticket.fleet-keys)`, () => {
    const v = file.fleet_ticket_keys;
    const root = unhex(v.ticket_root_secret);
    assert.is(v.periods.length, 3);
    for (const e of v.periods) {
      const secret = periodTicketKeySecret(p, root, e.period);
      assert.is(hex(secret), e.period_ticket_key_secret, `period ${e.period}`);
      assert.is(hex(ticketKeyMaterial(p, secret).id), e.ticket_key_id);
      // A server holding the root at that wall-clock time seals under that key.
      const keys = new TicketKeys({ provider: p, rng: () => new Uint8Array(12), rotationMs: v.rotation_ms, rootSecret: root }, e.wall_clock_ms);
      assert.is(hex(keys.seal(e.wall_clock_ms, Uint8Array.of(1)).subarray(0, 8)), e.ticket_key_id, `sealing at ${e.wall_clock_ms}`);
    }
  });

  test(`${name}: the resumption key schedule reproduces every intermediate`, () => {
    const v = file.key_schedule, i = v.inputs;
    const psk = ticketPsk(p, unhex(i.resumption_secret), unhex(i.ticket_nonce));
    assert.is(hex(psk), v.ticket_psk);
    assert.is(hex(earlySecret(p, psk)), v.early_secret);
    const early = clientEarlySecret(p, psk, unhex(i.client_hello_record));
    assert.is(hex(early), v.client_early_secret);
    const km = deriveKeyMaterial(p, SUITES[0], early);
    assert.equal({ key: hex(km.key), iv: hex(km.iv), hp: hex(km.hp) }, v.early_packet_keys);
    const r = resumedSecrets(p, unhex(i.noise_ck), unhex(i.noise_h), psk);
    assert.is(hex(r.ck), v.resumed_ck);
    assert.is(hex(r.clientSecret), v.resumed_client_1rtt_secret);
    assert.is(hex(r.serverSecret), v.resumed_server_1rtt_secret);
  });
}

for (const c of file.cases) {
  test(`case ${c.id}: ${c.comment}`, () => {
    assert.equal(runResumption(nodeProvider, c.input), c.expected);
  });
}

test.run();
