/**
 * `jsp adapter`: the TypeScript runtime (the generated codec of src/gen) behind the conformance
 * adapter protocol of spec/conformance.yaml, so `jsp conformance --impl "npx jsp adapter"`
 * tests the reference itself the way it tests any other implementation.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { nodeProvider } from '../../src/crypto/node.ts';
import { runCase, type CaseInput, type Edit } from '../handshake/run-case.ts';
import { runResumption, type ResumptionInput } from '../handshake/run-resumption.ts';
import { connectionDriver } from '../machines/connection-driver.ts';
import { handshakeDriver } from '../machines/handshake-driver.ts';
import { streamDriver } from '../machines/stream-driver.ts';
import { cryptoRequest } from './crypto.ts';
import { errorCodeName } from '../../src/gen/errors.ts';
import { SPEC, fromGen, genApi, hex, toJson, unhex, type Target } from '../values.ts';

const KINDS = new Set(['union', 'struct', 'message']);

type Answer = Record<string, unknown>;

function decode(args: string[]): Answer {
  const [file, kind, target, input, ...paramTokens] = args;
  if (!file || !kind || !target || input === undefined) return { result: 'error', error: 'INTERNAL_ERROR', errorKind: 'bad_request', message: 'usage: decode <file> <kind> <target> <hex> [param=value ...]' };
  if (!KINDS.has(kind)) return { result: 'unsupported', message: `unknown target kind '${kind}'` };
  const t: Target = { kind: kind as Target['kind'], file, id: target };
  let api;
  try {
    api = genApi(t);
  } catch (e) {
    return { result: 'unsupported', message: (e as Error).message };
  }
  const params: Record<string, number> = {};
  for (const p of paramTokens) {
    const [k, v] = p.split('=');
    params[k] = Number(v);
  }
  const bytes = input === '-' ? new Uint8Array(0) : unhex(input);
  let value: unknown;
  try {
    value = api.decode(bytes, paramTokens.length ? params : undefined);
  } catch (e) {
    const err = e as { name?: string; code?: number; kind?: string; message?: string };
    if (err?.name !== 'DecodeError') throw e;
    return { result: 'error', error: errorCodeName(err.code!), errorKind: err.kind, message: err.message };
  }
  return { result: 'ok', value: toJson(SPEC, t, fromGen(SPEC, t, value)), encoded: hex(api.encode(value)) };
}

const handshakeDocs = new Map<string, { cases: { id: string; input: CaseInput; edit?: Edit }[] }>();

/** `handshake <vector file> <case id> [flip <record> <byte>]`: runs the case through the runtime's client and server. */
function handshake(args: string[]): Answer {
  const [path, caseId, op, record, byte] = args;
  if (!path || !caseId) return { result: 'error', error: 'INTERNAL_ERROR', errorKind: 'bad_request', message: 'usage: handshake <vector file> <case id> [flip <record> <byte>]' };
  let doc = handshakeDocs.get(path);
  if (!doc) {
    doc = JSON.parse(readFileSync(path, 'utf8')) as { cases: { id: string; input: CaseInput; edit?: Edit }[] };
    handshakeDocs.set(path, doc);
  }
  const c = doc.cases.find((x) => x.id === caseId);
  if (!c) return { result: 'error', error: 'INTERNAL_ERROR', errorKind: 'bad_request', message: `no case '${caseId}' in ${path}` };
  const edit: Edit | undefined = op === 'flip' ? { record: Number(record), op: 'flip', byte: Number(byte) } : c.edit;
  return { result: 'ok', output: runCase(nodeProvider, c.input, edit) };
}

/** `resumption <vector file> <case id>`: a full handshake, a ticket, and the resumed handshake from it. */
function resumption(args: string[]): Answer {
  const [path, caseId] = args;
  if (!path || !caseId) return { result: 'error', error: 'INTERNAL_ERROR', errorKind: 'bad_request', message: 'usage: resumption <vector file> <case id>' };
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { cases: { id: string; input: ResumptionInput }[] };
  const c = doc.cases.find((x) => x.id === caseId);
  if (!c) return { result: 'error', error: 'INTERNAL_ERROR', errorKind: 'bad_request', message: `no case '${caseId}' in ${path}` };
  return { result: 'ok', output: runResumption(nodeProvider, c.input) };
}

/** `machine <file> <machine> <state> <event> <guard|->`: the runtime's step, reached by genuine events. */
function machine(args: string[]): Answer {
  const [file, name, state, event, guard] = args;
  if (!file || !name || !state || !event) return { result: 'error', error: 'INTERNAL_ERROR', errorKind: 'bad_request', message: 'usage: machine <file> <machine> <state> <event> <guard|->' };
  const g = guard === '-' ? undefined : guard;
  let step;
  if (file === 'handshake') step = handshakeDriver(name, nodeProvider, `adapter ${state} ${event}`).reach(state).apply(event, g);
  else if (file === 'stream_send' || file === 'stream_recv') step = streamDriver(name).reach(state).apply(event, g);
  else if (file === 'connection') {
    // A pair without a row cannot be asked of the runtime: it raises lifecycle events only where the table has them.
    const d = connectionDriver(name, `adapter ${state} ${event}`);
    const why = d.unsupported(state, event);
    if (why) return { result: 'unsupported', message: why };
    step = d.reach(state, event, g).apply(event, g);
  } else return { result: 'unsupported', message: `no runtime for machine file '${file}'` };
  return { result: 'ok', next: step.next, actions: step.actions, ...(step.error ? { error: step.error } : {}), ...(step.ignored ? { ignored: true } : {}) };
}

/** The answer to one request line (undefined for none). */
export function answer(line: string): Answer | undefined {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0] === 'hello') {
    return { id: 'hello', result: 'ok', name: 'jsp-ts (reference runtime)', protocol: 1, capabilities: ['codec', 'crypto', 'machines', 'handshake', 'resumption'] };
  }
  const id = Number(tokens[0]);
  const op = tokens[1];
  try {
    if (op === 'decode') return { id, ...decode(tokens.slice(2)) };
    if (op === 'handshake') return { id, ...handshake(tokens.slice(2)) };
    if (op === 'resumption') return { id, ...resumption(tokens.slice(2)) };
    if (op === 'machine') return { id, ...machine(tokens.slice(2)) };
    const c = cryptoRequest(op, tokens.slice(2));
    if (c) return { id, ...c };
    return { id, result: 'unsupported', message: `unknown request '${op}'` };
  } catch (e) {
    // An exception other than a DecodeError is a bug in the runtime: report it as such.
    return { id, result: 'error', error: 'INTERNAL_ERROR', errorKind: 'exception', message: String((e as Error)?.stack ?? e) };
  }
}

export async function runAdapter(): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    if (line.trim() === 'quit') break;
    const a = answer(line);
    if (a) process.stdout.write(JSON.stringify(a) + '\n');
  }
  return 0;
}
