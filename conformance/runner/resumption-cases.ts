/**
 * Resumption cases (capability `resumption`): each case of
 * conformance/vectors/handshake/resumption.json is sent as `resumption <vector file> <case id>`;
 * the adapter runs a full handshake, a ticket and the resumed handshake, and answers
 * `{"result":"ok","output":{…}}` with the fields of the case's `expected`, compared one by one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from './cases.ts';
import { jsonEqual } from './json.ts';

/** The resumption cases, or none when the directory has no resumption vectors. */
export function resumptionCases(vectorsDir: string): Case[] {
  const path = join(vectorsDir, 'handshake', 'resumption.json');
  if (!existsSync(path)) return [];
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { cases: { id: string; comment: string; expected: Record<string, unknown> }[] };
  return doc.cases.map((c) => ({
    id: `resumption/${c.id}`, suite: 'resumption', capability: 'resumption', title: c.comment,
    request: `resumption ${path} ${c.id}`,
    check: (r) => {
      if (r.result !== 'ok') return `expected ok, got ${r.result}: ${r.message ?? ''}`;
      const got = r.output as Record<string, unknown> | undefined;
      if (!got) return 'no output';
      for (const k of Object.keys(c.expected)) {
        if (!jsonEqual(got[k], c.expected[k])) return `${k} differs:\n  got      ${JSON.stringify(got[k])?.slice(0, 300)}\n  expected ${JSON.stringify(c.expected[k])?.slice(0, 300)}`;
      }
      return undefined;
    },
  }));
}
