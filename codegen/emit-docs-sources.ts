/**
 * The committed inputs of the rendered spec besides `spec/`: the codec vectors
 * (`conformance/vectors/codec/*.json`, counted per target), the state-machine vectors
 * (`conformance/vectors/machines/*.json`, counted per result) and the files of `test/` and
 * `conformance/` that cite requirement ids. Everything is read in sorted order so the pages
 * are a pure function of the committed tree. Only what is rendered counts: editing a test
 * file leaves the pages current unless it changes which requirement ids the file cites.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from './ir.ts';
import { ROOT } from './load.ts';

export const VECTORS_DIR = 'conformance/vectors/codec';

/** Cases of one target (a union member, a struct, a message) in one vector file. */
export interface TargetVectors {
  valid: number;
  invalid: number;
  firstTcId: number;
  lastTcId: number;
}

export interface VectorFile {
  /** Repository-relative path, e.g. `conformance/vectors/codec/frames.json`. */
  path: string;
  sha256: string;
  specFile: string;
  /** The spec hash the vectors were made from; stale when it differs from the spec file's. */
  specSha256: string;
  numberOfTests: number;
  valid: number;
  invalid: number;
  notes: Array<[string, string]>;
  /** By target id; a union's unknown-code group is under `union:<union id>`. */
  targets: Map<string, TargetVectors>;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Which target a group's cases exercise: a union group names its member in each value's `type`. */
function groupTarget(g: any, members: Set<string>, unionId: string | undefined): string {
  if (g.kind !== 'union') return String(g.target);
  for (const t of g.tests) if (t.value?.type) return String(t.value.type);
  for (const t of g.tests) {
    const m = /^([a-z0-9_]+) \(/.exec(String(t.comment ?? ''));
    if (m && members.has(m[1])) return m[1];
  }
  return `union:${unionId ?? g.target}`;
}

export function readVectors(spec: Spec, root = ROOT): VectorFile[] {
  const dir = join(root, VECTORS_DIR);
  if (!existsSync(dir)) return [];
  const out: VectorFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const bytes = readFileSync(join(dir, name));
    const data = JSON.parse(bytes.toString('utf8'));
    if (data.schema !== 'codec_vectors_v1') continue;
    const wire = spec.wire.find((w) => w.path === data.specFile);
    const members = new Set(wire?.union ? wire.structs.filter((s) => s.code !== undefined).map((s) => s.id) : []);
    const vf: VectorFile = {
      path: `${VECTORS_DIR}/${name}`, sha256: sha256(bytes), specFile: data.specFile, specSha256: data.specSha256,
      numberOfTests: data.numberOfTests, valid: 0, invalid: 0,
      notes: Object.entries((data.notes ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      targets: new Map(),
    };
    for (const g of data.testGroups) {
      const key = groupTarget(g, members, wire?.union?.id);
      const t = vf.targets.get(key) ?? { valid: 0, invalid: 0, firstTcId: Infinity, lastTcId: -Infinity };
      for (const c of g.tests) {
        if (c.result === 'valid') { t.valid++; vf.valid++; } else { t.invalid++; vf.invalid++; }
        t.firstTcId = Math.min(t.firstTcId, c.tcId);
        t.lastTcId = Math.max(t.lastTcId, c.tcId);
      }
      vf.targets.set(key, t);
    }
    out.push(vf);
  }
  return out;
}

export const MACHINE_VECTORS_DIR = 'conformance/vectors/machines';

/** The state-machine vectors of one machine file (`machine_vectors_v1`), counted. */
export interface MachineVectorFile {
  path: string;
  sha256: string;
  specFile: string;
  specSha256: string;
  numberOfTests: number;
  /** Cases per result (`transition`, `invalid`, `ignored`), over all machines of the file. */
  byResult: Map<string, number>;
}

/** The machine vector files, sorted by name. */
export function readMachineVectors(root = ROOT): MachineVectorFile[] {
  const dir = join(root, MACHINE_VECTORS_DIR);
  if (!existsSync(dir)) return [];
  const out: MachineVectorFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const bytes = readFileSync(join(dir, name));
    const data = JSON.parse(bytes.toString('utf8'));
    if (data.schema !== 'machine_vectors_v1') continue;
    const byResult = new Map<string, number>();
    for (const g of data.testGroups) for (const c of g.tests) byResult.set(c.result, (byResult.get(c.result) ?? 0) + 1);
    out.push({ path: `${MACHINE_VECTORS_DIR}/${name}`, sha256: sha256(bytes), specFile: data.specFile, specSha256: data.specSha256, numberOfTests: data.numberOfTests, byResult });
  }
  return out;
}

/** Directories searched for requirement ids. */
export const CITATION_DIRS = ['test', 'conformance'];

export interface Citations {
  /** Requirement id → repository-relative paths of the files that mention it, sorted. */
  byReq: Map<string, string[]>;
}

function walk(abs: string, rel: string, out: string[]): void {
  for (const name of readdirSync(abs).sort()) {
    if (name === 'node_modules' || name.startsWith('.') || name.endsWith('.log')) continue;
    const a = join(abs, name);
    const r = `${rel}/${name}`;
    if (statSync(a).isDirectory()) walk(a, r, out);
    else out.push(r);
  }
}

/**
 * Files of `test/` and `conformance/` that mention each requirement id. A mention is the id
 * with no id character right after it (so `frames.stream` does not count as citing
 * `frames.stream.offset-limit`, nor the reverse).
 */
export function findCitations(spec: Spec, root = ROOT): Citations {
  const paths: string[] = [];
  for (const d of CITATION_DIRS) if (existsSync(join(root, d))) walk(join(root, d), d, paths);
  const byReq = new Map<string, string[]>(spec.requirements.map((r) => [r.id, []]));
  const patterns = spec.requirements.map((r) => ({ id: r.id, re: new RegExp(`(?<![A-Za-z0-9_.-])${r.id.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])`) }));
  for (const p of paths) {
    const text = readFileSync(join(root, p), 'utf8');
    for (const { id, re } of patterns) if (text.includes(id) && re.test(text)) byReq.get(id)!.push(p);
  }
  return { byReq };
}
