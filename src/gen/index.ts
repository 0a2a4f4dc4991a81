// GENERATED from spec/constants.yaml (sha256 6157bce807aa6e9a) — do not edit.
// GENERATED from spec/crypto.yaml (sha256 065df193891d9984) — do not edit.
// GENERATED from spec/errors.yaml (sha256 f1c138e35f23f207) — do not edit.
// GENERATED from spec/frames.yaml (sha256 5788368641ab6c7a) — do not edit.
// GENERATED from spec/messages.yaml (sha256 3fd2be8b0a39d206) — do not edit.
// GENERATED from spec/packets.yaml (sha256 b386458813f6ee1e) — do not edit.
// GENERATED from spec/machines/connection.yaml (sha256 1f88bcf99f182b44) — do not edit.
// GENERATED from spec/machines/handshake.yaml (sha256 ab2b5fb238880735) — do not edit.
// GENERATED from spec/machines/stream-recv.yaml (sha256 62389ebb673f9f80) — do not edit.
// GENERATED from spec/machines/stream-send.yaml (sha256 1cfef80a2a3897fa) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * The generated modules: constants, error codes, frames, packets, control messages, the crypto tables and key
 * schedule, and the state machines.
 *
 * @module
 */
export * from './constants.ts';
export * from './errors.ts';
export * from './frames.ts';
export * from './packets.ts';
export * from './messages.ts';
export * from './crypto.ts';
export * from './machine-connection.ts';
export * from './machine-handshake.ts';
export * from './machine-stream-recv.ts';
export * from './machine-stream-send.ts';
