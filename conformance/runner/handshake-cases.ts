/**
 * Handshake cases (capability `handshake`): each case of conformance/vectors/handshake is sent as
 * `handshake <vector file> <case id> [flip <record> <byte>]`; the adapter reads the case's input
 * from the file, runs its implementation's client and server against each other and answers
 * `{"result":"ok","output":{records, client_state, server_state, failure?, keys?}}` (the
 * `expected` object of the vector format, `random` optional).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from './cases.ts';
import { jsonEqual } from './json.ts';

interface HandshakeDoc {
  cases: { id: string; comment: string; expected: Record<string, unknown> }[];
  flips: { id: string; comment: string; base: string; record: number; expected: string[] }[];
}

function compare(got: Record<string, unknown> | undefined, want: Record<string, unknown>): string | undefined {
  if (!got) return 'no output';
  for (const k of ['records', 'client_state', 'server_state', 'failure', 'keys']) {
    if (!jsonEqual(got[k], want[k])) return `${k} differs:\n  got      ${JSON.stringify(got[k])?.slice(0, 300)}\n  expected ${JSON.stringify(want[k])?.slice(0, 300)}`;
  }
  return undefined;
}

/** The handshake cases, or none when the directory has no handshake vectors. */
export function handshakeCases(vectorsDir: string): Case[] {
  const path = join(vectorsDir, 'handshake', 'handshake.json');
  if (!existsSync(path)) return [];
  const doc = JSON.parse(readFileSync(path, 'utf8')) as HandshakeDoc;
  const out: Case[] = [];
  for (const c of doc.cases) {
    out.push({
      id: `handshake/${c.id}`, suite: 'handshake', capability: 'handshake', title: c.comment,
      request: `handshake ${path} ${c.id}`,
      check: (r) => (r.result !== 'ok' ? `expected ok, got ${r.result}: ${r.message ?? ''}` : compare(r.output as Record<string, unknown>, c.expected)),
    });
  }
  for (const f of doc.flips) {
    f.expected.forEach((want, byte) => {
      out.push({
        id: `handshake/${f.id}/${byte}`, suite: 'handshake/flips', capability: 'handshake', title: `${f.comment}: byte ${byte}`,
        request: `handshake ${path} ${f.base} flip ${f.record} ${byte}`,
        check: (r) => {
          if (r.result !== 'ok') return `expected ok, got ${r.result}: ${r.message ?? ''}`;
          const failure = (r.output as { failure?: { side: string; error: string } } | undefined)?.failure;
          const got = failure ? `${failure.side}:${failure.error}` : 'completed';
          return got === want ? undefined : `expected ${want}, got ${got}`;
        },
      });
    });
  }
  return out;
}
