/**
 * A server's static keys, prepared once and shared by every handshake of the server: each key's
 * provider handle (so its secret is imported once, not per connection) and its key id, the first
 * server_key_id_length bytes of SHA-256 of its public key (spec/crypto.yaml, crypto.key-id).
 *
 * @module
 */
import { equalBytes } from '../../crypto/ct.ts';
import type { CryptoProvider, X25519PrivateKey } from '../../crypto/provider.ts';
import { SERVER_KEY_ID_LENGTH } from '../../gen/crypto.ts';

/** One prepared static key. */
export interface StaticKey {
  readonly id: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly handle: X25519PrivateKey;
}

/** The key id a client sends for a server public key. */
export function serverKeyId(p: CryptoProvider, publicKey: Uint8Array): Uint8Array {
  return p.sha256(publicKey).slice(0, SERVER_KEY_ID_LENGTH);
}

/** A server's static keys (several during a key rotation), looked up by key id. */
export class StaticKeySet {
  readonly provider: CryptoProvider;
  readonly keys: readonly StaticKey[];

  /** `secrets` are 32-byte X25519 secret keys; they stay the caller's (the handles hold copies). */
  constructor(provider: CryptoProvider, secrets: readonly Uint8Array[]) {
    if (!Array.isArray(secrets) || secrets.length === 0) throw new TypeError('handshake config: staticKeys must hold at least one key');
    secrets.forEach((k, i) => {
      if (!(k instanceof Uint8Array) || k.length !== 32) throw new TypeError(`handshake config: staticKeys[${i}] must be a 32-byte Uint8Array`);
    });
    this.provider = provider;
    this.keys = secrets.map((secret) => {
      const handle = provider.x25519.keygen(secret);
      return { handle, publicKey: handle.publicKey, id: serverKeyId(provider, handle.publicKey) };
    });
  }

  /** The key a client named, if the server holds it. */
  byId(id: Uint8Array): StaticKey | undefined {
    return this.keys.find((k) => equalBytes(k.id, id));
  }

  /** Wipes every handle; the set is unusable afterwards. */
  wipe(): void {
    for (const k of this.keys) k.handle.wipe();
  }
}
