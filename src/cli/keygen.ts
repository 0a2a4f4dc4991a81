/** `jsp keygen`: a server (or client) static X25519 key pair. */
import { nodeProvider } from '../crypto/node.ts';
import { generateKeyPair, KeyFileError, writeKeyPair } from '../node/keyfile.ts';

export const keygenUsage = `jsp keygen [--out FILE] [--force]

  Makes a static X25519 key pair for a server (or an authenticating client).
  --out FILE        write the secret key to FILE (mode 0600) and the public key to FILE.pub;
                    without it, print both as JSON on stdout
  --force           overwrite existing files
  The public key (64 hex digits) is what clients pin: jsp client --server-key <hex|FILE.pub>`;

export class KeygenUsageError extends Error {}

export function keygenCommand(args: string[]): number {
  let out: string | undefined;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out') {
      out = args[++i];
      if (!out || out.startsWith('--')) throw new KeygenUsageError('--out needs a file name');
    } else if (a === '--force') force = true;
    else throw new KeygenUsageError(`unknown argument ${a}`);
  }
  const k = generateKeyPair(nodeProvider);
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  if (!out) {
    console.log(JSON.stringify({ type: 'jsp-x25519-secret-key', secret: hex(k.secret), public: hex(k.public) }));
    return 0;
  }
  try {
    const { secretPath, publicPath } = writeKeyPair(out, k, force);
    console.log(`secret key: ${secretPath} (keep it private)\npublic key: ${publicPath}\npin this:   ${hex(k.public)}`);
  } catch (e) {
    if (e instanceof KeyFileError) {
      console.error(`jsp keygen: ${e.message}`);
      return 1;
    }
    throw e;
  }
  return 0;
}
