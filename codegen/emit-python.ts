/**
 * The Python emitter: a self-contained package `jsp_codec/` (Python 3.10+ standard library only) and
 * an executable `adapter` script for the conformance runner. Paths are relative to the output
 * directory of `jsp codegen --lang python --out DIR`.
 *
 * - `jsp_codec/_runtime.py` — Reader/Writer, varints, protobuf primitives, errors (`emit-python-runtime.ts`)
 * - `jsp_codec/constants.py`, `errors.py`, `__init__.py` — `emit-python-common.ts`
 * - one module per wire file (`frames.py`, `packets.py`) — `emit-python-wire.ts`
 * - one module per messages file (`messages.py`) — `emit-python-messages.ts`
 * - `adapter` — `emit-python-adapter.ts`
 *
 * The generated codec has the semantics of the TypeScript one (`emit-ts.ts`): the same strictness,
 * the same error codes and kinds in the same precedence, the same canonical encodings.
 */
import type { Emitter, GeneratedFile } from './emit.ts';
import { emitPyConstants, emitPyErrors, emitPyInit } from './emit-python-common.ts';
import { emitPyRuntime } from './emit-python-runtime.ts';
import { emitPyWireModule } from './emit-python-wire.ts';
import { emitPyMessages } from './emit-python-messages.ts';
import { emitPyAdapter } from './emit-python-adapter.ts';

export const emitPython: Emitter = (spec) => {
  const modules: GeneratedFile[] = [
    emitPyConstants(spec),
    emitPyErrors(spec),
    ...spec.wire.map((f) => emitPyWireModule(spec, f)),
    ...spec.messages.map((f) => emitPyMessages(spec, f)),
  ];
  return [emitPyRuntime(spec), ...modules, emitPyInit(spec, modules), emitPyAdapter(spec)];
};
