/**
 * The cases the runner sends: every golden vector, as an adapter request and a check of the
 * answer. Case ids are `<suite>/<tcId>`, e.g. `codec/frames/312`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from './adapter-process.ts';
import { handshakeCases } from './handshake-cases.ts';
import { resumptionCases } from './resumption-cases.ts';
import { machineCases } from './machine-cases.ts';
import { cryptoCases } from './crypto-cases.ts';

export interface Case {
  id: string;
  suite: string;
  /** Request family the adapter must list in its capabilities. */
  capability: string;
  /** What it tests, for reports. */
  title: string;
  request: string;
  /** Undefined when the answer passes; otherwise why it fails. */
  check(r: Response): string | undefined;
}

interface VectorTest {
  tcId: number;
  comment?: string;
  result: 'valid' | 'invalid';
  input: string;
  value?: unknown;
  canonical?: string;
  params?: Record<string, unknown>;
  error?: string;
  errorKind?: string;
}

interface VectorFile {
  specFile: string;
  testGroups: Array<{ kind: string; target: string; tests: VectorTest[] }>;
}

export { jsonEqual } from './json.ts';
import { jsonEqual } from './json.ts';

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
};

function codecCase(suite: string, file: string, kind: string, target: string, t: VectorTest): Case {
  const params = Object.entries(t.params ?? {}).map(([k, v]) => `${k}=${v}`);
  const request = ['decode', file, kind, target, t.input === '' ? '-' : t.input, ...params].join(' ');
  return {
    id: `${suite}/${t.tcId}`,
    suite,
    capability: 'codec',
    title: `${target}: ${t.comment ?? ''}`,
    request,
    check(r) {
      if (t.result === 'valid') {
        if (r.result !== 'ok') return `expected a value, got ${r.result}${r.error ? ` ${r.error}/${r.errorKind}` : ''}: ${r.message ?? ''}`;
        if (!jsonEqual(r.value, t.value)) return `value differs:\n  got      ${short(r.value)}\n  expected ${short(t.value)}`;
        const want = t.canonical ?? t.input;
        if (r.encoded !== want) return `re-encoding differs:\n  got      ${r.encoded}\n  expected ${want}`;
        return undefined;
      }
      if (r.result === 'ok') return `expected ${t.error}/${t.errorKind}, but it decoded to ${short(r.value)}`;
      if (r.result !== 'error') return `expected ${t.error}/${t.errorKind}, got ${r.result}`;
      if (r.error !== t.error || r.errorKind !== t.errorKind) return `expected ${t.error}/${t.errorKind}, got ${r.error}/${r.errorKind}: ${r.message ?? ''}`;
      return undefined;
    },
  };
}

/** Every case of every vector family under `vectorsDir` (codec, crypto, machines, handshake). */
export function loadCases(vectorsDir: string): Case[] {
  return [...codecCases(vectorsDir), ...cryptoCases(vectorsDir), ...machineCases(vectorsDir), ...handshakeCases(vectorsDir), ...resumptionCases(vectorsDir)];
}

/** Every case of every vector file under `vectorsDir/codec`. */
function codecCases(vectorsDir: string): Case[] {
  const out: Case[] = [];
  const codecDir = join(vectorsDir, 'codec');
  for (const name of readdirSync(codecDir).filter((f) => f.endsWith('.json')).sort()) {
    const v = JSON.parse(readFileSync(join(codecDir, name), 'utf8')) as VectorFile;
    const file = name.replace(/\.json$/, '');
    const suite = `codec/${file}`;
    for (const g of v.testGroups) for (const t of g.tests) out.push(codecCase(suite, file, g.kind, g.target, t));
  }
  return out;
}
