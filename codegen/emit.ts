/** What every emitter returns: files to write, paths relative to the repository root. */
import type { Spec } from './ir.ts';

export interface GeneratedFile {
  path: string;
  content: string;
}

export type Emitter = (spec: Spec) => GeneratedFile[];
