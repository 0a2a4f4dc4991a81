/**
 * The Noise handshake of one ClientHello, set up from the negotiated suite and group
 * (spec/crypto.yaml: protocol_name, the group's patterns, the prologue).
 *
 * @module
 */
import type { CryptoProvider, X25519PrivateKey } from '../../crypto/provider.ts';
import { wipe } from '../../crypto/ct.ts';
import { HandshakeState, noiseHkdf, parseProtocolName, type NoiseProtocol } from '../../crypto/noise/index.ts';
import { protocolName, type GroupInfo, type SuiteInfo } from '../../gen/crypto.ts';
import type { Rng } from './config.ts';

/** What the key schedule takes from a finished Noise handshake. */
export interface NoiseOutput {
  /** Split()'s first key: the client_1rtt_secret. */
  readonly k1: Uint8Array;
  /** Split()'s second key: the server_1rtt_secret. */
  readonly k2: Uint8Array;
  /** The final chaining key. */
  readonly ck: Uint8Array;
  /** The handshake hash. */
  readonly h: Uint8Array;
}

/** One side of one Noise handshake. */
export interface NoiseSession {
  /** The Noise protocol name in use. */
  readonly protocol: string;
  writeMessage(payload: Uint8Array): Uint8Array;
  /** Throws NoiseError when the message does not authenticate or is malformed. */
  readMessage(message: Uint8Array): Uint8Array;
  remoteStatic(): Uint8Array | undefined;
  /** The key-schedule inputs; only after the last message. */
  finish(): NoiseOutput;
  /** Wipes everything still held. */
  destroy(): void;
}

/** The Noise protocol name for a suite, group and authentication mode. */
export function noiseProtocolName(suite: SuiteInfo, group: GroupInfo, clientAuth: boolean): string {
  return protocolName(clientAuth ? group.mutualAuthPattern : group.serverAuthPattern, group.noiseDh, suite.noiseCipher);
}

const PARSED = new Map<string, NoiseProtocol>();

/** The parsed protocol, parsed once per name (there are eight names in v1). */
function parsed(name: string): NoiseProtocol {
  let p = PARSED.get(name);
  if (!p) PARSED.set(name, (p = parseProtocolName(name)));
  return p;
}

/**
 * Starts the Noise handshake of one attempt. `staticKey` is the local static key: a secret (imported
 * here, wiped with the session) or a provider key handle the caller owns and reuses (a server's).
 */
export function noiseSession(o: {
  provider: CryptoProvider;
  rng: Rng;
  suite: SuiteInfo;
  group: GroupInfo;
  clientAuth: boolean;
  initiator: boolean;
  prologue: Uint8Array;
  staticKey?: Uint8Array | X25519PrivateKey;
  remoteStatic?: Uint8Array;
}): NoiseSession {
  const protocol = noiseProtocolName(o.suite, o.group, o.clientAuth);
  const owned = o.staticKey instanceof Uint8Array;
  const s: X25519PrivateKey | undefined = o.staticKey instanceof Uint8Array ? o.provider.x25519.keygen(o.staticKey) : o.staticKey;
  const hs = new HandshakeState(o.provider, {
    protocol: parsed(protocol), initiator: o.initiator, prologue: o.prologue, s, rs: o.remoteStatic, rng: o.rng,
  });
  const destroy = () => {
    hs.wipe();
    if (owned) s?.wipe();
  };
  return {
    protocol,
    writeMessage: (payload) => hs.writeMessage(payload),
    readMessage: (message) => hs.readMessage(message),
    remoteStatic: () => hs.remoteStatic(),
    finish(): NoiseOutput {
      const r = hs.split();
      r.initiatorToResponder.wipe();
      r.responderToInitiator.wipe();
      const [k1, k2] = noiseHkdf(o.provider, r.chainingKey, new Uint8Array(0), 2);
      const out = { k1, k2, ck: r.chainingKey, h: r.handshakeHash };
      destroy();
      return out;
    },
    destroy,
  };
}
