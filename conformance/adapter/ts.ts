/**
 * `jsp adapter`: the TypeScript runtime (the generated codec of src/gen) behind the conformance
 * adapter protocol of spec/conformance.yaml, so `jsp conformance --impl "npx jsp adapter"`
 * tests the reference itself the way it tests any other implementation.
 */
import { createInterface } from 'node:readline';
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

/** The answer to one request line (undefined for none). */
export function answer(line: string): Answer | undefined {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0] === 'hello') {
    return { id: 'hello', result: 'ok', name: 'jsp-ts (reference runtime)', protocol: 1, capabilities: ['codec'] };
  }
  const id = Number(tokens[0]);
  const op = tokens[1];
  try {
    if (op === 'decode') return { id, ...decode(tokens.slice(2)) };
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
