/**
 * State-machine cases (capability `machines`): each test of conformance/vectors/machines/*.json
 * is sent as `machine <file> <machine> <state> <event> <guard|->`. The adapter brings its runtime
 * to `state` by genuine events, applies `event` with an input that satisfies `guard`, and answers
 * `{"result":"ok","next":…,"actions":[…],"error":<name or absent>,"ignored":<bool or absent>}`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from './cases.ts';
import { jsonEqual } from './json.ts';

interface MachineTest {
  tcId: number; comment: string; state: string; event: string; guard?: string;
  result: 'transition' | 'invalid' | 'ignored'; next: string; actions: string[]; error?: string;
}
interface MachineFile { testGroups: { machine: string; tests: MachineTest[] }[] }

export function machineCases(vectorsDir: string): Case[] {
  const dir = join(vectorsDir, 'machines');
  if (!existsSync(dir)) return [];
  const out: Case[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = name.replace(/\.json$/, '');
    const doc = JSON.parse(readFileSync(join(dir, name), 'utf8')) as MachineFile;
    for (const g of doc.testGroups) {
      for (const t of g.tests) {
        out.push({
          id: `machines/${file}/${g.machine}/${t.tcId}`, suite: `machines/${file}`, capability: 'machines', title: t.comment,
          request: `machine ${file} ${g.machine} ${t.state} ${t.event} ${t.guard ?? '-'}`,
          check(r) {
            if (r.result !== 'ok') return `expected ok, got ${r.result}: ${r.message ?? ''}`;
            const got = { next: r.next, actions: r.actions, error: r.error ?? undefined, ignored: r.ignored === true };
            const want = { next: t.next, actions: t.actions, error: t.error, ignored: t.result === 'ignored' };
            return jsonEqual(got, want) ? undefined : `got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
          },
        });
      }
    }
  }
  return out;
}
