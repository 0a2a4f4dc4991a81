// GENERATED from spec/constants.yaml (sha256 ff23d43785dc33db) — do not edit.
// GENERATED from spec/errors.yaml (sha256 f1c138e35f23f207) — do not edit.
// GENERATED from spec/frames.yaml (sha256 5788368641ab6c7a) — do not edit.
// GENERATED from spec/messages.yaml (sha256 3fd2be8b0a39d206) — do not edit.
// GENERATED from spec/packets.yaml (sha256 b386458813f6ee1e) — do not edit.
// Regenerate with `npm run codegen`; `npm run codegen -- --check` fails when this file is stale.
/**
 * The generated codec: constants, error codes, frames, packets and control messages.
 *
 * @module
 */
export * from './constants.ts';
export * from './errors.ts';
export * from './frames.ts';
export * from './packets.ts';
export * from './messages.ts';
