/**
 * Static keys for applications: the server's long-term X25519 key pair that clients pin, made
 * fresh or read from the files `jsp keygen` writes (src/node/keyfile.ts), on node:crypto.
 *
 * @module
 */
import { nodeProvider } from '../../crypto/node.ts';
import * as files from '../keyfile.ts';

export { KeyFileError, type StaticKeyPair } from '../keyfile.ts';

/** A fresh static key pair: give `secret` to the server (`staticKey`), `public` to clients (`serverKey`). */
export function generateKeyPair(): files.StaticKeyPair {
  return files.generateKeyPair(nodeProvider);
}

/** Reads a secret key file (`jsp keygen --out FILE`); a KeyFileError says what is wrong with it. */
export function readSecretKey(path: string): files.StaticKeyPair {
  return files.readSecretKey(nodeProvider, path);
}

/** A server public key to pin, from a `.pub` file or 64 hex digits. */
export function readPublicKey(hexOrPath: string): Uint8Array {
  return files.readPublicKey(nodeProvider, hexOrPath);
}
