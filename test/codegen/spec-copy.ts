/**
 * Loader tests on broken copies of the real spec: copy `spec/` (with `spec/machines/`) into a
 * temporary directory, edit one file, load it, and expect a SpecError.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec, ROOT, SpecError } from '../../codegen/load.ts';
import type { Spec } from '../../codegen/ir.ts';

const dirs: string[] = [];

/**
 * Loads a copy of `spec/` in which `file` (relative to spec/) has had `edit` applied, with `extra`
 * files (relative to spec/, with their text) added.
 */
export function loadEdited(file: string, edit: (text: string) => string, extra: Record<string, string> = {}): Spec {
  const dir = mkdtempSync(join(tmpdir(), 'jsp-spec-copy-'));
  dirs.push(dir);
  cpSync(join(ROOT, 'spec'), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(path, after);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return loadSpec(dir);
}

/** Replaces exactly one occurrence of `from` (the test is wrong when there are none or several). */
export function once(from: string | RegExp, to: string): (text: string) => string {
  return (text) => {
    const n = typeof from === 'string' ? text.split(from).length - 1 : [...text.matchAll(new RegExp(from, 'g'))].length;
    if (n !== 1) throw new Error(`'${from}' occurs ${n} times, not once`);
    return text.replace(from, to);
  };
}

/** Loads the edited copy and returns the SpecError it must fail with. */
export function failsEdited(file: string, edit: (text: string) => string): SpecError {
  try {
    loadEdited(file, edit);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`expected a SpecError, the edited ${file} loaded`);
}

/** 1-based line of the first line of `file` (relative to spec/) containing `needle`. */
export function lineIn(file: string, needle: string): number {
  const i = readFileSync(join(ROOT, 'spec', file), 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' not in ${file}`);
  return i + 1;
}

/** Removes the temporary copies. */
export function cleanCopies(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
