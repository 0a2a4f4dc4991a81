/**
 * codegen/load-machines.ts: spec/machines/handshake.yaml loads into the IR, and broken copies of
 * it fail with a SpecError naming the file, the JSON path and the line — one test per rule.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec } from '../../codegen/load.ts';
import { cleanCopies, failsEdited, lineIn, loadEdited, once } from './spec-copy.ts';

const HS = 'machines/handshake.yaml';
const REAL = loadSpec().machines.find((f) => f.id === 'handshake')!;

/** Index of a machine's row in the real table (the tests edit rows by content, not by position). */
function row(machine: number, state: string, event: string, guard?: string): number {
  const i = REAL.machines[machine].transitions.findIndex((t) => t.state === state && t.event === event && t.guard === guard);
  if (i < 0) throw new Error(`no row (${state}, ${event}, ${guard})`);
  return i;
}
/** Index of a declared state, event, guard or action. */
function decl(machine: number, key: 'states' | 'events' | 'guards' | 'actions', id: string): number {
  const i = REAL.machines[machine][key].findIndex((x) => x.id === id);
  if (i < 0) throw new Error(`no ${key} ${id}`);
  return i;
}

test('spec/machines/handshake.yaml loads: two machines, their tables, errors and always-invalid events', () => {
  const spec = loadSpec();
  const file = spec.machines.find((f) => f.id === 'handshake')!;
  assert.is(file.path, 'spec/machines/handshake.yaml');
  const [client, server] = file.machines;
  assert.is(client.id, 'client');
  assert.is(server.role, 'server');
  assert.is(client.initial, 'idle');
  assert.equal(client.onInvalid, { next: 'failed', error: 'PROTOCOL_VIOLATION', req: [] });
  assert.equal(client.states.filter((s) => s.terminal).map((s) => s.id), ['confirmed', 'failed']);
  assert.equal(server.events.filter((e) => e.alwaysInvalid).map((e) => e.id), ['server_hello', 'hello_retry_request', 'handshake_done']);
  const row = client.transitions.find((t) => t.state === 'wait_hello' && t.event === 'server_hello' && t.guard === 'ok')!;
  assert.equal(row.actions, ['read_server_hello', 'install_1rtt_keys', 'report_established']);
  assert.is(row.next, 'established');
  assert.is(client.transitions.find((t) => t.guard === 'downgrade')!.error, 'DOWNGRADE_DETECTED');
  // The file's own requirement is collected with the others (ids are not written here: that would cite them).
  assert.ok(file.req.length > 0 && file.req.every((q) => spec.requirements.some((r) => r.id === q.id && r.file === `spec/${HS}`)));
});

test('the initial state and every state a row names must exist', () => {
  let e = failsEdited(HS, once('initial: idle\n    on_invalid: { next: failed, error: PROTOCOL_VIOLATION }\n    states:\n      - { id: idle, doc: "Nothing', 'initial: start\n    on_invalid: { next: failed, error: PROTOCOL_VIOLATION }\n    states:\n      - { id: idle, doc: "Nothing'));
  assert.is(e.path, '/machines/0/initial');
  assert.match(e.message, /handshake\.yaml:\d+: \/machines\/0\/initial: unknown state 'start'/);
  e = failsEdited(HS, once('{ state: established, event: handshake_done, next: confirmed,', '{ state: established, event: handshake_done, next: confirmd,'));
  assert.is(e.path, `/machines/0/transitions/${row(0, 'established', 'handshake_done')}/next`);
  assert.is(e.line, lineIn(HS, 'event: handshake_done, next: confirmed'));
  assert.match(e.message, /unknown state 'confirmd'/);
  e = failsEdited(HS, once('{ state: idle, event: connect,', '{ state: idel, event: connect,'));
  assert.is(e.path, '/machines/0/transitions/0/state');
  assert.match(e.message, /unknown state 'idel'/);
});

test('every event, guard and action a row names must be declared', () => {
  let e = failsEdited(HS, once('{ state: idle, event: connect,', '{ state: idle, event: conect,'));
  assert.is(e.path, '/machines/0/transitions/0/event');
  assert.match(e.message, /unknown event 'conect'/);
  e = failsEdited(HS, once('state: wait_hello, event: hello_retry_request, guard: not_offered,', 'state: wait_hello, event: hello_retry_request, guard: not_offerd,'));
  assert.is(e.path, `/machines/0/transitions/${row(0, 'wait_hello', 'hello_retry_request', 'not_offered')}/guard`);
  assert.match(e.message, /unknown guard 'not_offerd'/);
  e = failsEdited(HS, once('actions: [send_client_hello] }', 'actions: [send_hello] }'));
  assert.is(e.path, '/machines/0/transitions/0/actions/0');
  assert.match(e.message, /unknown action 'send_hello'/);
});

test('error codes must exist in spec/errors.yaml (rows and on_invalid)', () => {
  let e = failsEdited(HS, once('guard: client_refused, next: failed, error: CONNECTION_REFUSED }\n      - { state: idle, event: peer_close', 'guard: client_refused, next: failed, error: CONNECTION_REFUSD }\n      - { state: idle, event: peer_close'));
  assert.is(e.path, `/machines/1/transitions/${row(1, 'idle', 'client_hello', 'client_refused')}/error`);
  assert.match(e.message, /unknown error code 'CONNECTION_REFUSD'/);
  e = failsEdited(HS, once(/on_invalid: \{ next: failed, error: PROTOCOL_VIOLATION \}(?=\n    states:\n      - \{ id: idle, doc: "Waiting)/, 'on_invalid: { next: failed, error: PROTOCOL_VIOLATON }'));
  assert.is(e.path, '/machines/1/on_invalid/error');
  assert.match(e.message, /unknown error code 'PROTOCOL_VIOLATON'/);
});

test('terminal states have no transitions', () => {
  const e = failsEdited(HS, once('      - { state: established, event: handshake_done,', '      - { state: confirmed, event: peer_close, next: failed }\n      - { state: established, event: handshake_done,'));
  assert.is(e.path, `/machines/0/transitions/${row(0, 'established', 'handshake_done')}/state`);
  assert.match(e.message, /terminal state 'confirmed' cannot have transitions/);
});

test('a (state, event) pair: one unguarded row, or guarded rows with distinct guards — never both', () => {
  let e = failsEdited(HS, once('      - { state: established, event: handshake_done,', '      - { state: idle, event: connect, next: failed }\n      - { state: established, event: handshake_done,'));
  assert.is(e.path, `/machines/0/transitions/${row(0, 'established', 'handshake_done')}`);
  assert.match(e.message, /\(idle, connect\) has an unguarded transition \(row 0\) and a second unguarded transition/);
  e = failsEdited(HS, once('      - { state: established, event: handshake_done,', '      - { state: idle, event: connect, guard: ok, next: failed }\n      - { state: established, event: handshake_done,'));
  assert.match(e.message, /\(idle, connect\) has an unguarded transition \(row 0\) and a guarded one \('ok'\)/);
  e = failsEdited(HS, once('state: wait_hello, event: hello_retry_request, guard: not_offered,', 'state: wait_hello, event: hello_retry_request, guard: ok,'));
  const [first, second] = [row(0, 'wait_hello', 'hello_retry_request', 'ok'), row(0, 'wait_hello', 'hello_retry_request', 'not_offered')];
  assert.is(e.path, `/machines/0/transitions/${second}/guard`);
  assert.match(e.message, new RegExp(`\\(wait_hello, hello_retry_request\\) has guard 'ok' twice \\(rows ${first} and ${second}\\)`));
});

test('every state is reachable from the initial state', () => {
  const e = failsEdited(HS, once('      - { id: failed, terminal: true, doc: "The handshake failed; the connection closes with the error." }\n    events:\n      - { id: connect', '      - { id: failed, terminal: true, doc: "The handshake failed; the connection closes with the error." }\n      - { id: limbo, doc: "Nowhere." }\n    events:\n      - { id: connect'));
  assert.is(e.path, `/machines/0/states/${REAL.machines[0].states.length}`);
  assert.match(e.message, /state 'limbo' is not reachable from the initial state 'idle'/);
});

test('every declared event, guard and action is used (an unused event must be always_invalid)', () => {
  let e = failsEdited(HS, once('{ id: client_hello, always_invalid: true, doc: "A ClientHello record arrived (never valid at a client)." }', '{ id: client_hello, doc: "A ClientHello record arrived (never valid at a client)." }'));
  assert.is(e.path, `/machines/0/events/${decl(0, 'events', 'client_hello')}`);
  assert.match(e.message, /event 'client_hello' is declared but no transition uses it \(mark it always_invalid/);
  e = failsEdited(HS, once('    actions:\n      - { id: send_client_hello,', '    actions:\n      - { id: wave, doc: "Wave." }\n      - { id: send_client_hello,'));
  assert.is(e.path, '/machines/0/actions/0');
  assert.match(e.message, /action 'wave' is declared but no transition uses it/);
  e = failsEdited(HS, once('    guards:\n      - { id: ok, doc: "The record decodes', '    guards:\n      - { id: maybe, doc: "Perhaps." }\n      - { id: ok, doc: "The record decodes'));
  assert.match(e.message, /guard 'maybe' is declared but no transition uses it/);
  e = failsEdited(HS, once('{ id: handshake_done, always_invalid: true,', '{ id: handshake_done,'));
  assert.match(e.message, /event 'handshake_done' is declared but no transition uses it/);
  // always_invalid on an event that has a transition.
  e = failsEdited(HS, once('{ id: connect, doc:', '{ id: connect, always_invalid: true, doc:'));
  assert.is(e.path, `/machines/0/transitions/${row(0, 'idle', 'connect')}/event`);
  assert.match(e.message, /event 'connect' is always_invalid but has a transition/);
});

test('duplicate ids; machine ids unique across machine files; requirement ids unique across the spec', () => {
  let e = failsEdited(HS, once('{ id: wait_hello, doc:', '{ id: idle, doc:'));
  assert.is(e.path, `/machines/0/states/${decl(0, 'states', 'wait_hello')}/id`);
  assert.match(e.message, /duplicate id 'idle'/);
  e = failsEdited(HS, once('  - id: server\n    role: server', '  - id: client\n    role: server'));
  assert.is(e.path, '/machines/1/id');
  assert.match(e.message, /machine id 'client' is already used/);
  // An id of another file, taken from the spec (not written here, which would count as citing it).
  const other = loadSpec().requirements.find((r) => r.file.endsWith('crypto.yaml'))!.id;
  e = failsEdited(HS, once(`- id: ${REAL.req[0].id}`, `- id: ${other}`));
  assert.ok(e.message.includes(`requirement id '${other}' is already used at`) && /crypto\.yaml/.test(e.message), e.message);
});

test('schema: doc required on states, events, guards and actions; no unknown keys in a row', () => {
  let e = failsEdited(HS, once('{ id: ok, doc: "The record decodes and every check passes." }', '{ id: ok }'));
  assert.is(e.path, '/machines/0/guards/0');
  assert.match(e.message, /must have required property 'doc'/);
  e = failsEdited(HS, once('{ state: idle, event: connect, next: wait_hello,', '{ state: idle, event: connect, nxt: x, next: wait_hello,'));
  assert.is(e.path, '/machines/0/transitions/0');
  assert.match(e.message, /additional properties 'nxt'/);
});

const PINGER = `meta: { id: pinger, kind: machine, title: Pinger, version: 1, doc: A second machine file. }
machines:
  - id: pinger
    role: client
    doc: Pings once.
    initial: ready
    on_invalid: { next: done, error: PROTOCOL_VIOLATION }
    states:
      - { id: ready, doc: Ready. }
      - { id: done, terminal: true, doc: Done. }
    events:
      - { id: ping, doc: Ping. }
      - { id: pong, always_invalid: true, doc: Never valid. }
    transitions:
      - { state: ready, event: ping, next: done }
`;

test('every file of spec/machines/ is loaded, in path order; machine ids are unique across them', () => {
  const spec = loadEdited(HS, (t) => t.replace('title: Handshake state machines', 'title: Handshake state machines (copy)'), { 'machines/pinger.yaml': PINGER });
  const ids = spec.machines.map((f) => f.id);
  assert.equal(ids, [...ids].sort(), 'path order');
  assert.ok(ids.includes('handshake') && ids.includes('pinger'), ids.join(', '));
  assert.equal(spec.machines.find((f) => f.id === 'pinger')!.machines[0].events.map((e) => [e.id, e.alwaysInvalid]), [['ping', false], ['pong', true]]);
  let e: unknown;
  try {
    loadEdited(HS, (t) => t.replace('title: Handshake state machines', 'title: Handshake state machines (copy)'), { 'machines/pinger.yaml': PINGER.replace('- id: pinger', '- id: server') });
  } catch (err) { e = err; }
  assert.match(String(e), /pinger\.yaml:\d+: \/machines\/0\/id: machine id 'server' is already used in .*handshake\.yaml/);
});

test.after(cleanCopies);
test.run();
