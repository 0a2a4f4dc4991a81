/**
 * Noise handshake patterns and protocol names (Noise rev 34 §7–§9, §8 names) plus the HFS
 * extension (`noise_hfs_spec`, tokens `e1` and `ekem1`).
 *
 * The table holds every pattern of the spec in its own notation: the one-way patterns (§7.4),
 * the fundamental interactive patterns (§7.5) and the deferred patterns (§7.6). Modifiers
 * are applied as the specs say:
 * - `pskN` (§9.4): `psk0` puts a `psk` token at the start of the first message, `pskN` (N ≥ 1)
 *   at the end of message N. Several combine: `NXpsk0+psk1+psk2`.
 * - `hfs` (HFS spec §5): `e1` goes right after the first `e`, or, when that message has a DH
 *   token after `e`, right after that DH (so the KEM public key travels encrypted); `ekem1` goes
 *   right after the first `ee`. Not allowed on one-way patterns.
 *
 * A protocol name is `Noise_<pattern>_<dh>_<cipher>_<hash>`; this core implements DH `25519`
 * (and `25519+MLKEM768` for `hfs`), ciphers `ChaChaPoly` / `AESGCM`, hash `SHA256`.
 *
 * @module
 */
import { NOISE_CIPHER_SUITES, NoiseError, type NoiseCipher } from './cipher-state.ts';

/** A DH token (§7.1). */
export type DhToken = 'ee' | 'es' | 'se' | 'ss';
/** A message-pattern token: Noise's six, plus HFS's `e1` and `ekem1`. */
export type Token = 'e' | 's' | DhToken | 'psk' | 'e1' | 'ekem1';
/** A pre-message token (§7.1: a pre-message holds `e`, `s`, `e, s` or nothing). */
export type PreMessageToken = 'e' | 's';

/** One message pattern: who sends it (`->` initiator, `<-` responder) and its tokens. */
export interface MessagePattern {
  readonly direction: '->' | '<-';
  readonly tokens: readonly Token[];
}

/** A handshake pattern with its modifiers applied. */
export interface HandshakePattern {
  /** The full pattern name, e.g. `NKpsk0` or `IKhfs`. */
  readonly name: string;
  /** The pattern without modifiers, e.g. `NK`. */
  readonly base: string;
  /** The modifiers in name order, e.g. `['psk0', 'psk2']`. */
  readonly modifiers: readonly string[];
  /** The initiator's pre-message (keys the responder knows in advance). */
  readonly initiatorPreMessage: readonly PreMessageToken[];
  /** The responder's pre-message (keys the initiator knows in advance). */
  readonly responderPreMessage: readonly PreMessageToken[];
  readonly messages: readonly MessagePattern[];
  /** One-way pattern (N, K, X): a single message, then transport from initiator to responder. */
  readonly oneWay: boolean;
  /** Has a psk modifier: `e` also calls MixKey (§9.2). */
  readonly psk: boolean;
  /** Has the `hfs` modifier: `e1`/`ekem1` carry ML-KEM-768. */
  readonly hfs: boolean;
}

/** The DH functions of protocol names this core accepts (`+MLKEM768` is the HFS KEM). */
export type NoiseDh = '25519' | '25519+MLKEM768';
/** The hash functions this core accepts. */
export type NoiseHash = 'SHA256';

/** A parsed protocol name. */
export interface NoiseProtocol {
  /** The full name, e.g. `Noise_NKhfs_25519+MLKEM768_ChaChaPoly_SHA256`. */
  readonly name: string;
  readonly pattern: HandshakePattern;
  readonly dh: NoiseDh;
  readonly cipher: NoiseCipher;
  readonly hash: NoiseHash;
}

/**
 * Every base pattern of Noise rev 34 in the spec's notation: pre-messages, `...`, then messages.
 * One-way (§7.4), fundamental interactive (§7.5) and deferred (§7.6).
 */
export const PATTERNS: Readonly<Record<string, string>> = Object.freeze({
  // One-way (§7.4)
  N: '<- s | ... | -> e, es',
  K: '-> s | <- s | ... | -> e, es, ss',
  X: '<- s | ... | -> e, es, s, ss',
  // Fundamental interactive (§7.5)
  NN: '-> e | <- e, ee',
  NK: '<- s | ... | -> e, es | <- e, ee',
  NX: '-> e | <- e, ee, s, es',
  KN: '-> s | ... | -> e | <- e, ee, se',
  KK: '-> s | <- s | ... | -> e, es, ss | <- e, ee, se',
  KX: '-> s | ... | -> e | <- e, ee, se, s, es',
  XN: '-> e | <- e, ee | -> s, se',
  XK: '<- s | ... | -> e, es | <- e, ee | -> s, se',
  XX: '-> e | <- e, ee, s, es | -> s, se',
  IN: '-> e, s | <- e, ee, se',
  IK: '<- s | ... | -> e, es, s, ss | <- e, ee, se',
  IX: '-> e, s | <- e, ee, se, s, es',
  // Deferred (§7.6)
  NK1: '<- s | ... | -> e | <- e, ee, es',
  NX1: '-> e | <- e, ee, s | -> es',
  X1N: '-> e | <- e, ee | -> s | <- se',
  X1K: '<- s | ... | -> e, es | <- e, ee | -> s | <- se',
  XK1: '<- s | ... | -> e | <- e, ee, es | -> s, se',
  X1K1: '<- s | ... | -> e | <- e, ee, es | -> s | <- se',
  X1X: '-> e | <- e, ee, s, es | -> s | <- se',
  XX1: '-> e | <- e, ee, s | -> es, s, se',
  X1X1: '-> e | <- e, ee, s | -> es, s | <- se',
  K1N: '-> s | ... | -> e | <- e, ee | -> se',
  K1K: '-> s | <- s | ... | -> e, es | <- e, ee | -> se',
  KK1: '-> s | <- s | ... | -> e | <- e, ee, se, es',
  K1K1: '-> s | <- s | ... | -> e | <- e, ee, es | -> se',
  K1X: '-> s | ... | -> e | <- e, ee, s, es | -> se',
  KX1: '-> s | ... | -> e | <- e, ee, se, s | -> es',
  K1X1: '-> s | ... | -> e | <- e, ee, s | -> se, es',
  I1N: '-> e, s | <- e, ee | -> se',
  I1K: '<- s | ... | -> e, es, s | <- e, ee | -> se',
  IK1: '<- s | ... | -> e, s | <- e, ee, se, es',
  I1K1: '<- s | ... | -> e, s | <- e, ee, es | -> se',
  I1X: '-> e, s | <- e, ee, s, es | -> se',
  IX1: '-> e, s | <- e, ee, se, s | -> es',
  I1X1: '-> e, s | <- e, ee, s | -> se, es',
});

const ONE_WAY = new Set(['N', 'K', 'X']);
const DH_TOKENS: ReadonlySet<string> = new Set<DhToken>(['ee', 'es', 'se', 'ss']);
const MESSAGE_TOKENS: ReadonlySet<string> = new Set<Token>(['e', 's', 'ee', 'es', 'se', 'ss']);

/** Whether `t` is one of the four DH tokens. */
export function isDhToken(t: Token): t is DhToken {
  return DH_TOKENS.has(t);
}

/**
 * The pattern named `name` (base pattern plus modifiers, e.g. `XXpsk0+psk1`, `IKhfs`), with its
 * modifiers applied. Throws `NoiseError('unsupported')` for an unknown pattern or modifier, a
 * `pskN` past the last message, a repeated modifier, or `hfs` on a one-way pattern.
 */
export function handshakePattern(name: string): HandshakePattern {
  const m = /^([A-Z][A-Z0-9]*?)((?:psk(?:0|[1-9]\d*)|hfs)(?:\+(?:psk(?:0|[1-9]\d*)|hfs))*)?$/.exec(name);
  const base = m?.[1];
  if (m === null || base === undefined || !Object.hasOwn(PATTERNS, base)) throw new NoiseError('unsupported', `handshake pattern ${JSON.stringify(name)}`);
  const modifiers = m[2] === undefined ? [] : m[2].split('+');
  if (new Set(modifiers).size !== modifiers.length) throw new NoiseError('unsupported', `repeated modifier in ${name}`);
  const { initiatorPreMessage, responderPreMessage, messages } = parseNotation(PATTERNS[base]);
  const oneWay = ONE_WAY.has(base);
  for (const modifier of modifiers) {
    if (modifier === 'hfs') {
      if (oneWay) throw new NoiseError('unsupported', `hfs on the one-way pattern ${base}`);
      applyHfs(messages);
    } else {
      applyPsk(messages, Number(modifier.slice(3)), name);
    }
  }
  return Object.freeze({
    name,
    base,
    modifiers: Object.freeze(modifiers),
    initiatorPreMessage: Object.freeze(initiatorPreMessage),
    responderPreMessage: Object.freeze(responderPreMessage),
    messages: Object.freeze(messages.map((p) => Object.freeze({ direction: p.direction, tokens: Object.freeze(p.tokens) }))),
    oneWay,
    psk: modifiers.some((x) => x.startsWith('psk')),
    hfs: modifiers.includes('hfs'),
  });
}

/**
 * Parses `Noise_<pattern>_<dh>_<cipher>_<hash>` (§8). Throws `NoiseError('unsupported')` for
 * anything this core does not implement; `hfs` requires DH `25519+MLKEM768` and that DH requires
 * `hfs`.
 */
export function parseProtocolName(name: string): NoiseProtocol {
  const parts = name.split('_');
  if (parts.length !== 5 || parts[0] !== 'Noise') throw new NoiseError('unsupported', `protocol name ${JSON.stringify(name)}`);
  const [, patternName, dh, cipher, hash] = parts;
  const pattern = handshakePattern(patternName);
  if (dh !== '25519' && dh !== '25519+MLKEM768') throw new NoiseError('unsupported', `DH function ${dh}`);
  if ((dh === '25519+MLKEM768') !== pattern.hfs) {
    throw new NoiseError('unsupported', `${dh} with ${patternName}: hfs needs 25519+MLKEM768 and that DH needs hfs`);
  }
  if (!Object.hasOwn(NOISE_CIPHER_SUITES, cipher)) throw new NoiseError('unsupported', `cipher ${cipher}`);
  if (hash !== 'SHA256') throw new NoiseError('unsupported', `hash ${hash}`);
  return Object.freeze({ name, pattern, dh, cipher: cipher as NoiseCipher, hash });
}

interface Mutable {
  direction: '->' | '<-';
  tokens: Token[];
}

/** Parses the table notation (`'<- s | ... | -> e, es'`) into pre-messages and messages. */
function parseNotation(notation: string): { initiatorPreMessage: PreMessageToken[]; responderPreMessage: PreMessageToken[]; messages: Mutable[] } {
  const lines = notation.split('|').map((l) => l.trim());
  const split = lines.indexOf('...');
  const pre = split < 0 ? [] : lines.slice(0, split);
  const initiatorPreMessage: PreMessageToken[] = [];
  const responderPreMessage: PreMessageToken[] = [];
  for (const line of pre) {
    const { direction, tokens } = parseLine(line);
    (direction === '->' ? initiatorPreMessage : responderPreMessage).push(...(tokens as PreMessageToken[]));
  }
  return { initiatorPreMessage, responderPreMessage, messages: lines.slice(split + 1).map(parseLine) };
}

function parseLine(line: string): Mutable {
  const direction = line.slice(0, 2);
  const tokens = line.slice(2).split(',').map((t) => t.trim());
  if ((direction !== '->' && direction !== '<-') || !tokens.every((t) => MESSAGE_TOKENS.has(t))) {
    throw new Error(`patterns.ts: bad table line ${JSON.stringify(line)}`);
  }
  return { direction, tokens: tokens as Token[] };
}

/** §9.4: `psk0` first in message 1, `pskN` last in message N. */
function applyPsk(messages: Mutable[], n: number, name: string): void {
  if (n > messages.length) throw new NoiseError('unsupported', `psk${n} in ${name}, which has ${messages.length} message(s)`);
  if (n === 0) messages[0].tokens.unshift('psk');
  else messages[n - 1].tokens.push('psk');
}

/** HFS spec §5: `e1` after the first `e` (or after the DH following it), `ekem1` after the first `ee`. */
function applyHfs(messages: Mutable[]): void {
  const withE = messages.find((p) => p.tokens.includes('e'));
  const withEe = messages.find((p) => p.tokens.includes('ee'));
  if (withE === undefined || withEe === undefined) throw new NoiseError('unsupported', 'hfs needs e and ee tokens');
  const e = withE.tokens.indexOf('e');
  const dh = withE.tokens.findIndex((t, i) => i > e && isDhToken(t));
  withE.tokens.splice((dh < 0 ? e : dh) + 1, 0, 'e1');
  withEe.tokens.splice(withEe.tokens.indexOf('ee') + 1, 0, 'ekem1');
}
