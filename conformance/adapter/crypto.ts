/**
 * The `crypto` request family of the TypeScript adapter: key-schedule and packet-protection steps
 * of spec/crypto.yaml, answered by the runtime (src/crypto/expand-label.ts, src/core/protection).
 * Arguments are hex (labels too, since they hold spaces); `-` is the empty string.
 */
import { nodeProvider as p } from '../../src/crypto/node.ts';
import { expandLabel } from '../../src/crypto/expand-label.ts';
import { deriveKeyMaterial, initialSecrets, nextTrafficSecret, PacketKeys, protect, retryIntegrityTag } from '../../src/core/protection/index.ts';
import { suiteById, type SuiteId } from '../../src/gen/crypto.ts';
import { hex, unhex } from '../values.ts';

type Answer = Record<string, unknown>;
const arg = (s: string | undefined) => (s === undefined || s === '-' ? new Uint8Array(0) : unhex(s));
const material = (m: { key: Uint8Array; iv: Uint8Array; hp: Uint8Array }) => ({ key: hex(m.key), iv: hex(m.iv), hp: hex(m.hp) });

/** `<op> <args…>` of the crypto family; undefined when `op` is not one of it. */
export function cryptoRequest(op: string, a: string[]): Answer | undefined {
  switch (op) {
    case 'expand_label': // <secret> <label hex> <context hex> <length>
      return { result: 'ok', output: hex(expandLabel(p, arg(a[0]), new TextDecoder().decode(arg(a[1])), arg(a[2]), Number(a[3]))) };
    case 'initial_secrets': { // <client dcid>
      const s = initialSecrets(p, arg(a[0]));
      const suite = suiteById('aes_256_gcm_sha256');
      return {
        result: 'ok', initialSecret: hex(s.initialSecret), clientInitialSecret: hex(s.client), serverInitialSecret: hex(s.server),
        client: material(deriveKeyMaterial(p, suite, s.client)), server: material(deriveKeyMaterial(p, suite, s.server)),
      };
    }
    case 'key_update': { // <suite> <secret> <generations>
      const suite = suiteById(a[0] as SuiteId);
      const out = [];
      let secret = arg(a[1]);
      for (let g = 0; g < Number(a[2]); g++) {
        const m = deriveKeyMaterial(p, suite, secret);
        out.push({ generation: g, keyPhase: g % 2, secret: hex(secret), key: hex(m.key), iv: hex(m.iv) });
        secret = nextTrafficSecret(p, secret);
      }
      return { result: 'ok', generations: out };
    }
    case 'hp_mask': { // <kind> <hp key> <sample>
      const k = p.headerProtection(a[0] as 'chacha20' | 'aes-256-ecb', arg(a[1]));
      try {
        return { result: 'ok', mask: hex(k.mask(arg(a[2]))) };
      } finally {
        k.wipe();
      }
    }
    case 'protect': { // <suite> <secret> <hp secret> <header> <pnOffset> <packet number> <payload>
      // The AEAD key and IV come from the secret of the key phase; the header-protection key from
      // the first generation's secret (it does not change on key update).
      const suite = suiteById(a[0] as SuiteId);
      const keys = PacketKeys.fromSecret(p, suite, arg(a[1]));
      const hpKeys = PacketKeys.fromSecret(p, suite, arg(a[2]));
      try {
        return { result: 'ok', protectedPacket: hex(protect({ aead: keys.aead, iv: keys.iv, hp: hpKeys.hp }, arg(a[3]), Number(a[4]), Number(a[5]), arg(a[6]))) };
      } finally {
        keys.wipeAll();
        hpKeys.wipeAll();
      }
    }
    case 'retry_tag': // <original dcid> <retry packet without tag>
      return { result: 'ok', tag: hex(retryIntegrityTag(p, arg(a[0]), arg(a[1]))) };
    default:
      return undefined;
  }
}
