/**
 * Static key files: what `jsp keygen` writes and what servers and clients load.
 *
 * A secret key file is JSON `{"type":"jsp-x25519-secret-key","secret":"<64 hex>","public":"<64 hex>"}`
 * written with mode 0600; a public key file is `{"type":"jsp-x25519-public-key","public":"<64 hex>"}`.
 * A client pins the server's public key: the file, or the 64 hex digits themselves.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { CryptoProvider } from '../crypto/provider.ts';

const SECRET_TYPE = 'jsp-x25519-secret-key';
const PUBLIC_TYPE = 'jsp-x25519-public-key';

/** A malformed or unreadable key file (the message names the file and the problem). */
export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

export interface StaticKeyPair {
  readonly secret: Uint8Array;
  readonly public: Uint8Array;
}

const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');

function fromHex32(what: string, s: unknown): Uint8Array {
  if (typeof s !== 'string' || !/^[0-9a-f]{64}$/i.test(s)) throw new KeyFileError(`${what}: expected 64 hex digits`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** A fresh key pair from the provider's CSPRNG. */
export function generateKeyPair(p: CryptoProvider): StaticKeyPair {
  const secret = p.randomBytes(32);
  return { secret, public: p.x25519.publicKey(secret) };
}

/** Writes `path` (secret, mode 0600) and `path.pub`; refuses to overwrite unless `force`. */
export function writeKeyPair(path: string, k: StaticKeyPair, force = false): { secretPath: string; publicPath: string } {
  const publicPath = `${path}.pub`;
  for (const f of [path, publicPath]) if (!force && existsSync(f)) throw new KeyFileError(`${f} exists (use --force to overwrite)`);
  writeFileSync(path, JSON.stringify({ type: SECRET_TYPE, secret: toHex(k.secret), public: toHex(k.public) }) + '\n', { mode: 0o600 });
  writeFileSync(publicPath, JSON.stringify({ type: PUBLIC_TYPE, public: toHex(k.public) }) + '\n');
  return { secretPath: path, publicPath };
}

function readJson(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KeyFileError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object') throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new KeyFileError(`${path}: not a JSP key file (${(e as Error).message})`);
  }
}

/** Loads a secret key file and checks that its public key matches the secret. */
export function readSecretKey(p: CryptoProvider, path: string): StaticKeyPair {
  const j = readJson(path);
  if (j.type !== SECRET_TYPE) throw new KeyFileError(`${path}: type is ${JSON.stringify(j.type)}, expected "${SECRET_TYPE}"`);
  const secret = fromHex32(`${path}: secret`, j.secret);
  const pub = p.x25519.publicKey(secret);
  if (j.public !== undefined && toHex(fromHex32(`${path}: public`, j.public)) !== toHex(pub)) {
    throw new KeyFileError(`${path}: the public key does not belong to the secret key`);
  }
  return { secret, public: pub };
}

/** A server public key to pin: 64 hex digits, or a public (or secret) key file. */
export function readPublicKey(p: CryptoProvider, hexOrPath: string): Uint8Array {
  if (/^[0-9a-f]{64}$/i.test(hexOrPath)) return fromHex32('key', hexOrPath);
  const j = readJson(hexOrPath);
  if (j.type === PUBLIC_TYPE) return fromHex32(`${hexOrPath}: public`, j.public);
  if (j.type === SECRET_TYPE) return readSecretKey(p, hexOrPath).public;
  throw new KeyFileError(`${hexOrPath}: type is ${JSON.stringify(j.type)}, expected "${PUBLIC_TYPE}"`);
}
