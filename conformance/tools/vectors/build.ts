/**
 * Builds the text of every codec vector file, exactly as `npm run vectors` writes it, so that the
 * generator script and the tests share one definition (the tests check the committed files are
 * what this produces).
 *
 * @module
 */
import type { Spec } from '../../../codegen/ir.ts';
import type { Json } from '../../reference/values.ts';
import { messageVectors } from './message-cases.ts';
import { wireVectors } from './wire-cases.ts';

export interface VectorFileText {
  name: string;
  text: string;
  valid: number;
  invalid: number;
}

/** Pretty at the top, one test per line: small files, readable diffs. */
function format(doc: { [k: string]: Json }): string {
  const head = Object.entries(doc).filter(([k]) => k !== 'notes' && k !== 'testGroups').map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const notes = Object.entries(doc.notes as { [k: string]: Json }).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
  const groups = (doc.testGroups as Array<{ [k: string]: Json }>).map((g) => {
    const tests = (g.tests as Json[]).map((t) => `    ${JSON.stringify(t)}`).join(',\n');
    return `  {"kind": ${JSON.stringify(g.kind)}, "target": ${JSON.stringify(g.target)}, "tests": [\n${tests}\n  ]}`;
  }).join(',\n');
  return `{\n${head.join(',\n')},\n "notes": {\n${notes}\n },\n "testGroups": [\n${groups}\n ]\n}\n`;
}

/** Every vector file (`frames.json`, `packets.json`, `messages.json`); `skipped` collects cases that could not be built. */
export function buildVectorFiles(spec: Spec, skipped: string[] = []): VectorFileText[] {
  const builders = [
    ...spec.wire.map((file) => {
      const { fb, skipped: s } = wireVectors(spec, file);
      skipped.push(...s.map((x) => `${file.id}: ${x}`));
      return { name: `${file.id}.json`, fb };
    }),
    ...spec.messages.map((file) => ({ name: `${file.id}.json`, fb: messageVectors(spec, file) })),
  ];
  return builders.map(({ name, fb }) => {
    const tests = fb.groups.flatMap((g) => g.tests);
    const valid = tests.filter((t) => t.result === 'valid').length;
    return { name, text: format(fb.toJson() as { [k: string]: Json }), valid, invalid: tests.length - valid };
  });
}
