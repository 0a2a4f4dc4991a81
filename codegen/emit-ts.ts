/**
 * The TypeScript emitter: every file of `src/gen/` (see the contract in `codegen/README.md`).
 *
 * - `constants.ts`, `errors.ts`, `index.ts` — `emit-ts-common.ts`
 * - one module per wire file (`frames.ts`, `packets.ts`) — `emit-ts-wire.ts`
 * - one module per messages file (`messages.ts`) — `emit-ts-messages.ts`
 * - `crypto.ts` from the crypto file — `emit-ts-crypto.ts`
 * - one module per machine file (`machine-handshake.ts`) — `emit-ts-machines.ts`
 */
import type { Emitter, GeneratedFile } from './emit.ts';
import { emitConstants, emitErrors, emitIndex } from './emit-ts-common.ts';
import { emitTsMessages } from './emit-ts-messages.ts';
import { emitWireModule } from './emit-ts-wire.ts';
import { emitTsCrypto } from './emit-ts-crypto.ts';
import { emitTsMachines } from './emit-ts-machines.ts';

export const emitTs: Emitter = (spec) => {
  const modules: GeneratedFile[] = [
    emitConstants(spec),
    emitErrors(spec),
    ...spec.wire.map((f) => emitWireModule(spec, f)),
    ...spec.messages.map((f) => emitTsMessages(spec, f)),
    ...(spec.crypto ? [emitTsCrypto(spec, spec.crypto)] : []),
    ...spec.machines.map((f) => emitTsMachines(spec, f)),
  ];
  return [...modules, emitIndex(spec, modules)];
};
