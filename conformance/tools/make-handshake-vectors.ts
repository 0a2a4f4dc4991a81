/**
 * `npm run vectors:handshake` — writes conformance/vectors/handshake/handshake.json from the
 * runtime, once, for review. Tests never regenerate it; `-- --check` exits 1 when the runtime no
 * longer reproduces the committed file (which the vector test also checks, case by case).
 *
 * Cases: a full handshake for every suite × group × authentication mode (NK, IK), with every
 * record and every derived secret; a HelloRetryRequest round; and negative cases — no common
 * suite or group, an unknown version, the wrong server key, a suite stripped from the offer, a
 * forged retry, a replayed ClientHello, truncated records, and every byte of the ClientHello and
 * the ServerHello flipped — each with the side that fails and its error code.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeProvider as p } from '../../src/crypto/index.ts';
import { GROUPS, SUITES } from '../../src/gen/crypto.ts';
import { decodeClientOffer, decodeHandshakeMessage, encodeClientOffer, encodeHandshakeMessage } from '../../src/gen/messages.ts';
import { runCase, type CaseInput, type CaseOutput, type Edit } from '../handshake/run-case.ts';

const OUT = fileURLToPath(new URL('../vectors/handshake/handshake.json', import.meta.url));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));
const key = (label: string) => p.sha256(new TextEncoder().encode(`jsp vector key ${label}`));
const serverSecret = key('server');
const serverPublic = p.x25519.publicKey(serverSecret);

function input(id: string, over: Partial<CaseInput> = {}): CaseInput {
  return {
    client_suites: SUITES.map((s) => s.id), client_groups: GROUPS.map((g) => g.id),
    server_suites: SUITES.map((s) => s.id), server_groups: GROUPS.map((g) => g.id),
    server_static_secret: hex(serverSecret), pinned_server_key: hex(serverPublic),
    client_transport_parameters: { initialMaxData: 1048576, initialMaxStreamsBidi: 100, maxIdleTimeoutMs: 30000 },
    server_transport_parameters: { initialMaxData: 2097152, initialMaxStreamsBidi: 100, maxIdleTimeoutMs: 10000 },
    client_alpn: ['jsp-demo'], server_alpn: ['jsp-demo'],
    cookie_key: hex(key('cookie')), client_seed: `${id}/client`, server_seed: `${id}/server`,
    ...over,
  };
}

interface Case { id: string; comment: string; input: CaseInput; edit?: Edit; expected: CaseOutput; reqs: string[] }
interface FlipSet { id: string; comment: string; base: string; record: number; expected: string[]; reqs: string[] }

const cases: Case[] = [];
const add = (id: string, comment: string, inp: CaseInput, reqs: string[], edit?: Edit) => {
  const expected = runCase(p, inp, edit);
  cases.push({ id, comment, input: inp, ...(edit ? { edit } : {}), expected, reqs });
  return expected;
};

// Valid: every suite × group × mode.
for (const s of SUITES) for (const g of GROUPS) for (const ik of [false, true]) {
  const id = `full-${s.id}-${g.id}-${ik ? 'ik' : 'nk'}`;
  const e = add(id, `full handshake, ${s.id}, ${g.id}, ${ik ? 'IK (client authenticated)' : 'NK'}`,
    input(id, { client_suites: [s.id], client_groups: [g.id], ...(ik ? { client_static_secret: hex(key('client')) } : {}) }),
    ['crypto.pinned-key', 'crypto.prologue', 'crypto.server-confirms', 'crypto.key-id']);
  if (!e.keys || e.client_state !== 'confirmed') throw new Error(`${id}: did not complete`);
}
add('retry', 'the client prefers AES-256-GCM and the hybrid group; the server has only ChaCha20 and X25519: one HelloRetryRequest',
  input('retry', { client_suites: ['aes_256_gcm_sha256', 'chacha20_poly1305_sha256'], client_groups: ['x25519_mlkem768', 'x25519'], server_suites: ['chacha20_poly1305_sha256'], server_groups: ['x25519'] }),
  ['crypto.retry-once', 'crypto.retry-binding']);
add('no-common-suite', 'no cipher suite in common', input('ncs', { client_suites: ['aes_256_gcm_sha256'], server_suites: ['chacha20_poly1305_sha256'] }), ['crypto.no-common', 'messages.client-hello.suites-non-empty']);
add('no-common-group', 'no group in common', input('ncg', { client_groups: ['x25519_mlkem768'], server_groups: ['x25519'] }), ['crypto.no-common']);
add('wrong-server-key', 'the client pinned another key', input('wsk', { pinned_server_key: hex(p.x25519.publicKey(key('elsewhere'))) }), ['crypto.key-id']);

// Edits of the first ClientHello.
const base = input('edits');
const baseRun = runCase(p, base);
const ch = decodeHandshakeMessage(unhex(baseRun.records[0].hex)).clientHello!;
const withOffer = (f: (o: ReturnType<typeof decodeClientOffer>) => ReturnType<typeof decodeClientOffer>) =>
  hex(encodeHandshakeMessage({ clientHello: { offer: encodeClientOffer(f(decodeClientOffer(ch.offer))).slice(), noise: ch.noise } }));
add('edits-base', 'the handshake the edit cases change', base, ['crypto.prologue']);
add('downgrade-stripped-suite', 'an attacker strips the second suite from the offer: the prologue differs, the server cannot read Noise message 1',
  base, ['crypto.prologue'], { record: 0, op: 'replace', hex: withOffer((o) => ({ ...o, cipherSuites: o.cipherSuites.slice(0, 1) })) });
add('downgrade-forced-retry', 'an attacker replaces the first group with an unknown one so the server asks for a retry: the cookie shows the client its offer was changed',
  base, ['crypto.retry-binding'], { record: 0, op: 'replace', hex: withOffer((o) => ({ ...o, groups: [99, ...o.groups.slice(1)] })) });
add('unknown-version', 'the offer lists only a version the server does not speak', base, ['crypto.no-common'],
  { record: 0, op: 'replace', hex: withOffer((o) => ({ ...o, versions: [0x0a0a0a0a] })) });
add('replayed-client-hello', 'the first ClientHello arrives twice: the second finds no transition', base, ['machines.handshake.no-transition'], { record: 0, op: 'replay' });
for (const [record, lengths] of [[0, [0, 1, 3, 40]], [1, [0, 2, 33, 60]]] as const) {
  for (const length of lengths) {
    add(`truncated-${record === 0 ? 'client' : 'server'}-hello-${length}`, `record ${record} cut to ${length} bytes`, base, ['messages.handshake-message.one-of'], { record, op: 'truncate', length });
  }
}
const retryBase = cases.find((c) => c.id === 'retry')!;
{
  const hrr = decodeHandshakeMessage(unhex(retryBase.expected.records[1].hex)).helloRetryRequest!;
  add('downgrade-forged-retry-choice', 'an attacker changes the suite a HelloRetryRequest names (keeping the cookie): the server sees it in the second offer',
    retryBase.input, ['crypto.retry-binding'], { record: 1, op: 'replace', hex: hex(encodeHandshakeMessage({ helloRetryRequest: { ...hrr, cipherSuite: 2 } })) });
}

// Every byte of each record flipped, for NK/X25519 and NK/hybrid.
const flips: FlipSet[] = [];
for (const id of ['full-chacha20_poly1305_sha256-x25519-nk', 'full-chacha20_poly1305_sha256-x25519_mlkem768-nk', 'full-aes_256_gcm_sha256-x25519-ik']) {
  const c = cases.find((x) => x.id === id)!;
  for (const record of [0, 1]) {
    const n = c.expected.records[record].hex.length / 2;
    const expected: string[] = [];
    for (let byte = 0; byte < n; byte++) {
      const r = runCase(p, c.input, { record, op: 'flip', byte });
      if (!r.failure) throw new Error(`${id}: flipping byte ${byte} of record ${record} did not fail`);
      expected.push(`${r.failure.side}:${r.failure.error}`);
    }
    flips.push({ id: `flip-${id}-record${record}`, comment: `every byte of ${record === 0 ? 'the ClientHello' : 'the ServerHello'} of ${id} flipped (xor 0x01), one run each`, base: id, record, expected, reqs: ['crypto.prologue'] });
  }
}

const doc = {
  comment: 'JSP handshake vectors (spec/crypto.yaml, spec/machines/handshake.yaml). Generated by conformance/tools/make-handshake-vectors.ts; never regenerated by tests. Format: conformance/vectors/handshake/README.md.',
  cases,
  flips,
};
const text = JSON.stringify(doc, null, 1) + '\n';
if (process.argv.includes('--check')) {
  const old = readFileSync(OUT, 'utf8');
  if (old !== text) { console.error('handshake vectors: the runtime no longer reproduces the committed file'); process.exit(1); }
  console.log('handshake vectors: up to date');
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${cases.length} cases, ${flips.length} flip sets (${flips.reduce((a, f) => a + f.expected.length, 0)} flips)`);
}
