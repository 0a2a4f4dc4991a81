/**
 * Noise HandshakeState (Noise rev 34 §5.3, §9 psk, HFS `e1`/`ekem1`), sans-IO.
 *
 * No clock, no I/O, no global randomness: every ephemeral key (X25519 `e`, ML-KEM-768 `e1`, the
 * encapsulation randomness of `ekem1`) comes from the caller's `rng`, or for `e` from a fixed
 * secret (test vectors only).
 *
 * Failure rules:
 * - Every error is a {@link NoiseError}; a `CryptoError` from the provider becomes `bad_dh` /
 *   `bad_kem`, anything unexpected `internal`.
 * - A failed {@link HandshakeState.readMessage} kills the handshake: its secrets are wiped and
 *   every later call throws `invalid_state`. So does a failure inside
 *   {@link HandshakeState.writeMessage}; a write refused before it starts (out of turn, payload
 *   too long) changes nothing.
 * - When the last message is written or read, Split runs and every handshake secret (ephemeral
 *   keys, psks, `ck`, `k`) is wiped; the caller takes the transport CipherStates with
 *   {@link HandshakeState.split}.
 *
 * @module
 */
import { wipe } from '../ct.ts';
import type { CryptoProvider, MlKemKeyPair, X25519PrivateKey } from '../provider.ts';
import { CipherState, NoiseError } from './cipher-state.ts';
import { isDhToken, parseProtocolName, type DhToken, type NoiseProtocol, type PreMessageToken, type Token } from './patterns.ts';
import { SymmetricState } from './symmetric-state.ts';

/** Largest Noise message, handshake or transport (§3). */
export const MAX_MESSAGE_LENGTH = 65535;

const DHLEN = 32;
const PSK_LEN = 32;
const TAG_LEN = 16;
const MLKEM_PUBLIC_KEY = 1184;
const MLKEM_CIPHERTEXT = 1088;
const MLKEM_SEED = 64;
const MLKEM_RANDOM = 32;
const EMPTY = new Uint8Array(0);

/** The arguments of Initialize (§5.3) plus the source of randomness. */
export interface HandshakeOptions {
  /** A protocol name (`Noise_NK_25519_ChaChaPoly_SHA256`) or its parsed form. */
  readonly protocol: string | NoiseProtocol;
  /** `true` for the initiator. */
  readonly initiator: boolean;
  /** Prologue both sides must agree on (§6); default empty. */
  readonly prologue?: Uint8Array;
  /** Local static key pair `s`. Stays the caller's: never wiped here, may serve many handshakes. */
  readonly s?: X25519PrivateKey;
  /**
   * A fixed local ephemeral secret (32 bytes) used for `e` instead of `rng`. For test vectors
   * only: reusing an ephemeral breaks Noise's security.
   */
  readonly e?: Uint8Array;
  /** The remote static public key, only when the peer's pre-message holds `s` (e.g. NK, IK). */
  readonly rs?: Uint8Array;
  /** The remote ephemeral public key, only when the peer's pre-message holds `e`. */
  readonly re?: Uint8Array;
  /** 32-byte psks, one per `psk` token, in the order the tokens are processed. Copied. */
  readonly psks?: readonly Uint8Array[];
  /** Randomness for ephemerals: `rng(n)` returns `n` fresh bytes (wiped here after use). */
  readonly rng?: (n: number) => Uint8Array;
}

/** The result of Split (§5.2), owned by the caller once taken with {@link HandshakeState.split}. */
export interface NoiseSplit {
  /** c1: encrypts initiator → responder. */
  readonly initiatorToResponder: CipherState;
  /** c2: encrypts responder → initiator. Already wiped for a one-way pattern (§7.4: c2 is discarded). */
  readonly responderToInitiator: CipherState;
  /** This side's sending CipherState (c1 for the initiator, c2 for the responder). */
  readonly send: CipherState;
  /** This side's receiving CipherState (c2 for the initiator, c1 for the responder). */
  readonly receive: CipherState;
  /** GetHandshakeHash() at the end of the handshake (channel binding, §11.2). */
  readonly handshakeHash: Uint8Array;
  /** The final chaining key `ck`, for a key schedule built on top; the caller must wipe it. */
  readonly chainingKey: Uint8Array;
}

type Status = 'handshake' | 'finished' | 'failed' | 'wiped';

/** Reads tokens off a handshake message; running out is `short_message`. */
class MessageReader {
  readonly message: Uint8Array;
  #at = 0;

  constructor(message: Uint8Array) {
    this.message = message;
  }

  take(n: number, what: string): Uint8Array {
    if (this.message.length - this.#at < n) {
      throw new NoiseError('short_message', `${what} needs ${n} bytes, ${this.message.length - this.#at} left`);
    }
    this.#at += n;
    return this.message.subarray(this.#at - n, this.#at);
  }

  rest(): Uint8Array {
    return this.message.subarray(this.#at);
  }
}

/**
 * A Noise HandshakeState (§5.3). The constructor is Initialize(handshake_pattern, initiator,
 * prologue, s, e, rs, re) with psks (§9); then {@link writeMessage} and {@link readMessage} in
 * the pattern's turn order until {@link isFinished}, then {@link split}.
 */
export class HandshakeState {
  /** The parsed protocol. */
  readonly protocol: NoiseProtocol;
  /** Whether this side is the initiator. */
  readonly initiator: boolean;
  readonly #provider: CryptoProvider;
  readonly #rng: ((n: number) => Uint8Array) | undefined;
  readonly #s: X25519PrivateKey | undefined;
  #ss: SymmetricState | undefined;
  #e: X25519PrivateKey | undefined;
  #rs: Uint8Array | undefined;
  #re: Uint8Array | undefined;
  #e1: MlKemKeyPair | undefined;
  #re1: Uint8Array | undefined;
  #psks: Uint8Array[];
  #index = 0;
  #status: Status = 'handshake';
  #handshakeHash: Uint8Array | undefined;
  #result: NoiseSplit | undefined;

  /**
   * Initialize (§5.3): checks the keys the pattern needs (`invalid_argument` when one is missing,
   * malformed, or a remote key is given that no pre-message holds), then InitializeSymmetric,
   * MixHash(prologue) and the pre-message public keys (initiator's first).
   */
  constructor(provider: CryptoProvider, options: HandshakeOptions) {
    this.protocol = typeof options.protocol === 'string' ? parseProtocolName(options.protocol) : options.protocol;
    this.initiator = options.initiator;
    this.#provider = provider;
    this.#rng = options.rng;
    this.#s = options.s;
    this.#rs = optionalKey(options.rs, 'rs');
    this.#re = optionalKey(options.re, 're');
    const fixedE = optionalKey(options.e, 'e');
    this.#psks = (options.psks ?? []).map((psk, i) => {
      if (!(psk instanceof Uint8Array) || psk.length !== PSK_LEN) throw new NoiseError('invalid_argument', `psks[${i}] must be ${PSK_LEN} bytes`);
      return psk.slice();
    });
    this.#guard(() => {
      this.#checkOptions(fixedE !== undefined);
      this.#e = fixedE === undefined ? undefined : provider.x25519.keygen(fixedE);
      this.#ss = new SymmetricState(provider, this.protocol.cipher, this.protocol.name);
      this.#ss.mixHash(options.prologue ?? EMPTY);
      this.#mixPreMessage(this.protocol.pattern.initiatorPreMessage, this.initiator);
      this.#mixPreMessage(this.protocol.pattern.responderPreMessage, !this.initiator);
    });
  }

  /** Whether the next handshake message is ours to write (false once finished). */
  isMyTurn(): boolean {
    return this.#status === 'handshake' && this.#sends(this.#index);
  }

  /** Whether the last handshake message has been written or read (Split done). */
  isFinished(): boolean {
    return this.#status === 'finished';
  }

  /**
   * WriteMessage(payload) (§5.3): processes this message's tokens, appends
   * EncryptAndHash(payload) and returns the message. Throws `invalid_state` out of turn and
   * `too_long` when the message would exceed 65535 bytes (both before anything changes).
   */
  writeMessage(payload: Uint8Array = EMPTY): Uint8Array {
    const ss = this.#inHandshake('WriteMessage');
    if (!this.#sends(this.#index)) throw new NoiseError('invalid_state', `WriteMessage out of turn (message ${this.#index + 1} is the peer's)`);
    const tokens = this.protocol.pattern.messages[this.#index].tokens;
    const length = this.#messageLength(tokens, payload.length);
    if (length > MAX_MESSAGE_LENGTH) throw new NoiseError('too_long', `message would be ${length} bytes`);
    return this.#guard(() => {
      const parts: Uint8Array[] = [];
      for (const token of tokens) this.#writeToken(ss, token, parts);
      parts.push(ss.encryptAndHash(payload));
      this.#advance(ss);
      return concat(parts);
    });
  }

  /**
   * ReadMessage(message) (§5.3): processes this message's tokens and returns the decrypted
   * payload. Any failure (`short_message`, `decrypt`, `too_long`, `bad_dh`, `invalid_state` out of
   * turn, …) kills the handshake.
   */
  readMessage(message: Uint8Array): Uint8Array {
    const ss = this.#inHandshake('ReadMessage');
    return this.#guard(() => {
      if (this.#sends(this.#index)) throw new NoiseError('invalid_state', `ReadMessage out of turn (message ${this.#index + 1} is ours)`);
      if (!(message instanceof Uint8Array)) throw new NoiseError('invalid_argument', 'message must be a Uint8Array');
      if (message.length > MAX_MESSAGE_LENGTH) throw new NoiseError('too_long', `message is ${message.length} bytes`);
      const reader = new MessageReader(message);
      for (const token of this.protocol.pattern.messages[this.#index].tokens) this.#readToken(ss, token, reader);
      const rest = reader.rest();
      if (ss.hasKey() && rest.length < TAG_LEN) throw new NoiseError('short_message', `payload needs a ${TAG_LEN}-byte tag, ${rest.length} left`);
      const payload = ss.decryptAndHash(rest);
      this.#advance(ss);
      return payload;
    });
  }

  /** GetHandshakeHash(): `h` now (during the handshake) or at its end; a copy. */
  getHandshakeHash(): Uint8Array {
    if (this.#status === 'finished' && this.#handshakeHash !== undefined) return this.#handshakeHash.slice();
    return this.#inHandshake('GetHandshakeHash').getHandshakeHash();
  }

  /** The remote static public key once known (pre-message or a read `s` token), else undefined. */
  remoteStatic(): Uint8Array | undefined {
    return this.#rs?.slice();
  }

  /**
   * Hands over the Split result: allowed once, after {@link isFinished}. From then on the caller
   * owns the CipherStates and `chainingKey` (wipe them when done).
   */
  split(): NoiseSplit {
    const result = this.#result;
    if (this.#status !== 'finished' || result === undefined) throw new NoiseError('invalid_state', 'split() needs a finished handshake whose split was not yet taken');
    this.#result = undefined;
    return result;
  }

  /** Wipes every secret still held (including an untaken split); later calls throw `invalid_state`. */
  wipe(): void {
    this.#wipeSecrets();
    if (this.#result !== undefined) {
      this.#result.initiatorToResponder.wipe();
      this.#result.responderToInitiator.wipe();
      wipe(this.#result.chainingKey);
      this.#result = undefined;
    }
    this.#status = 'wiped';
  }

  // ─────────────────────────────── tokens ───────────────────────────────

  #writeToken(ss: SymmetricState, token: Token, out: Uint8Array[]): void {
    switch (token) {
      case 'e': {
        if (this.#e === undefined) {
          const secret = this.#random(DHLEN);
          this.#e = this.#provider.x25519.keygen(secret);
          wipe(secret);
        }
        const pub = this.#e.publicKey.slice();
        out.push(pub);
        this.#mixEphemeral(ss, pub);
        return;
      }
      case 's':
        out.push(ss.encryptAndHash(required(this.#s, 's').publicKey));
        return;
      case 'psk':
        ss.mixKeyAndHash(this.#nextPsk());
        return;
      case 'e1': {
        const seed = this.#random(MLKEM_SEED);
        this.#e1 = this.#provider.mlkem768.keygen(seed);
        wipe(seed);
        out.push(ss.encryptAndHash(this.#e1.publicKey));
        return;
      }
      case 'ekem1': {
        const random = this.#random(MLKEM_RANDOM);
        const { cipherText, sharedSecret } = this.#provider.mlkem768.encapsulate(required(this.#re1, 're1'), random);
        wipe(random);
        out.push(ss.encryptAndHash(cipherText));
        ss.mixKey(sharedSecret);
        wipe(sharedSecret);
        return;
      }
      default:
        this.#mixDh(ss, token);
    }
  }

  #readToken(ss: SymmetricState, token: Token, reader: MessageReader): void {
    const tag = ss.hasKey() ? TAG_LEN : 0;
    switch (token) {
      case 'e':
        this.#re = reader.take(DHLEN, 'e').slice();
        this.#mixEphemeral(ss, this.#re);
        return;
      case 's':
        this.#rs = ss.decryptAndHash(reader.take(DHLEN + tag, 's'));
        return;
      case 'psk':
        ss.mixKeyAndHash(this.#nextPsk());
        return;
      case 'e1':
        this.#re1 = ss.decryptAndHash(reader.take(MLKEM_PUBLIC_KEY + tag, 'e1'));
        return;
      case 'ekem1': {
        const cipherText = ss.decryptAndHash(reader.take(MLKEM_CIPHERTEXT + tag, 'ekem1'));
        const e1 = required(this.#e1, 'e1');
        const sharedSecret = this.#provider.mlkem768.decapsulate(e1.secretKey, cipherText);
        ss.mixKey(sharedSecret);
        wipe(sharedSecret, e1.secretKey);
        this.#e1 = undefined;
        return;
      }
      default:
        this.#mixDh(ss, token);
    }
  }

  /** MixHash(e.public_key), and in a psk handshake MixKey(e.public_key) too (§9.2). */
  #mixEphemeral(ss: SymmetricState, pub: Uint8Array): void {
    ss.mixHash(pub);
    if (this.protocol.pattern.psk) ss.mixKey(pub);
  }

  /** `ee`/`es`/`se`/`ss`: MixKey(DH(local, remote)); es/se pick keys by role (§5.3). */
  #mixDh(ss: SymmetricState, token: DhToken): void {
    // The first letter names the initiator's key, the second the responder's.
    const mine = this.initiator ? token[0] : token[1];
    const theirs = this.initiator ? token[1] : token[0];
    const key = mine === 'e' ? required(this.#e, 'e') : required(this.#s, 's');
    const pub = theirs === 'e' ? required(this.#re, 're') : required(this.#rs, 'rs');
    const shared = key.sharedSecret(pub);
    ss.mixKey(shared);
    wipe(shared);
  }

  #mixPreMessage(tokens: readonly PreMessageToken[], mine: boolean): void {
    const ss = required(this.#ss, 'SymmetricState');
    for (const t of tokens) {
      if (t === 's') ss.mixHash(mine ? required(this.#s, 's').publicKey : required(this.#rs, 'rs'));
      else this.#mixEphemeral(ss, mine ? required(this.#e, 'e').publicKey : required(this.#re, 're'));
    }
  }

  // ─────────────────────────────── state ───────────────────────────────

  /** Whether message `i` is sent by this side. */
  #sends(i: number): boolean {
    return (this.protocol.pattern.messages[i].direction === '->') === this.initiator;
  }

  #inHandshake(what: string): SymmetricState {
    if (this.#status !== 'handshake' || this.#ss === undefined) throw new NoiseError('invalid_state', `${what}: the handshake is ${this.#status}`);
    return this.#ss;
  }

  /** Moves to the next message; after the last one, Split and wipe every handshake secret. */
  #advance(ss: SymmetricState): void {
    this.#index++;
    if (this.#index < this.protocol.pattern.messages.length) return;
    const [c1, c2] = ss.split();
    if (this.protocol.pattern.oneWay) c2.wipe();
    this.#handshakeHash = ss.getHandshakeHash();
    this.#result = Object.freeze({
      initiatorToResponder: c1,
      responderToInitiator: c2,
      send: this.initiator ? c1 : c2,
      receive: this.initiator ? c2 : c1,
      handshakeHash: this.#handshakeHash.slice(),
      chainingKey: ss.chainingKey(),
    });
    this.#wipeSecrets();
    this.#status = 'finished';
  }

  /** Runs `f`; on any error wipes the secrets, kills the handshake and rethrows it as a NoiseError. */
  #guard<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      this.#wipeSecrets();
      this.#status = 'failed';
      throw toNoiseError(err);
    }
  }

  #wipeSecrets(): void {
    this.#ss?.wipe();
    this.#ss = undefined;
    this.#e?.wipe();
    this.#e = undefined;
    if (this.#e1 !== undefined) wipe(this.#e1.secretKey);
    this.#e1 = undefined;
    wipe(...this.#psks);
    this.#psks = [];
  }

  #nextPsk(): Uint8Array {
    const psk = this.#psks.shift();
    if (psk === undefined) throw new NoiseError('invalid_state', 'no psk left for a psk token');
    return psk;
  }

  /** `n` bytes from the caller's rng, length-checked; the caller of this method wipes them. */
  #random(n: number): Uint8Array {
    const rng = required(this.#rng, 'rng');
    const bytes = rng(n);
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) throw new NoiseError('invalid_argument', `rng(${n}) must return ${n} bytes`);
    return bytes;
  }

  /** Length of the message `tokens` + payload would make, from the current key state. */
  #messageLength(tokens: readonly Token[], payloadLength: number): number {
    let hasKey = required(this.#ss, 'SymmetricState').hasKey();
    let length = 0;
    const tag = () => (hasKey ? TAG_LEN : 0);
    for (const t of tokens) {
      if (t === 'e') length += DHLEN;
      else if (t === 's') length += DHLEN + tag();
      else if (t === 'e1') length += MLKEM_PUBLIC_KEY + tag();
      else if (t === 'ekem1') length += MLKEM_CIPHERTEXT + tag();
      if (isDhToken(t) || t === 'psk' || t === 'ekem1' || (t === 'e' && this.protocol.pattern.psk)) hasKey = true;
    }
    return length + payloadLength + tag();
  }

  /** Checks at Initialize that every key, psk and the rng the pattern needs are there. */
  #checkOptions(hasFixedE: boolean): void {
    const p = this.protocol.pattern;
    const myPre = this.initiator ? p.initiatorPreMessage : p.responderPreMessage;
    const peerPre = this.initiator ? p.responderPreMessage : p.initiatorPreMessage;
    const mine = p.messages.filter((_, i) => this.#sends(i)).flatMap((m) => m.tokens);
    const all = p.messages.flatMap((m) => m.tokens);
    const dhWithLocalS: readonly Token[] = this.initiator ? ['se', 'ss'] : ['es', 'ss'];
    const needS = myPre.includes('s') || mine.includes('s') || all.some((t) => dhWithLocalS.includes(t));
    if (needS && (this.#s === undefined || !(this.#s.publicKey instanceof Uint8Array))) throw new NoiseError('invalid_argument', `${p.name} needs the local static key s`);
    if (myPre.includes('e') && !hasFixedE) throw new NoiseError('invalid_argument', `${p.name} pre-message needs the local ephemeral e`);
    for (const k of ['s', 'e'] as const) {
      const given = (k === 's' ? this.#rs : this.#re) !== undefined;
      if (given !== peerPre.includes(k)) {
        throw new NoiseError('invalid_argument', `${p.name}: r${k} must be given exactly when the peer's pre-message holds ${k}`);
      }
    }
    const pskTokens = all.filter((t) => t === 'psk').length;
    if (this.#psks.length !== pskTokens) throw new NoiseError('invalid_argument', `${p.name} needs ${pskTokens} psk(s), got ${this.#psks.length}`);
    const needRng = (mine.includes('e') && !hasFixedE) || mine.includes('e1') || mine.includes('ekem1');
    if (needRng && typeof this.#rng !== 'function') throw new NoiseError('invalid_argument', `${p.name} needs rng for ephemeral keys`);
  }
}

/** A 32-byte public key option, copied, or undefined. */
function optionalKey(key: Uint8Array | undefined, name: string): Uint8Array | undefined {
  if (key === undefined) return undefined;
  if (!(key instanceof Uint8Array) || key.length !== DHLEN) throw new NoiseError('invalid_argument', `${name} must be ${DHLEN} bytes`);
  return key.slice();
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new NoiseError('invalid_state', `${name} is not available`);
  return value;
}

/** Maps any exception to a NoiseError; CryptoError is matched by name (module copies differ). */
function toNoiseError(err: unknown): NoiseError {
  if (err instanceof NoiseError) return err;
  if (err instanceof Error && err.name === 'CryptoError') {
    const kind = (err as Error & { kind?: string }).kind;
    return new NoiseError(kind === 'x25519_zero_shared_secret' ? 'bad_dh' : 'bad_kem', err.message, err);
  }
  return new NoiseError('internal', err instanceof Error ? err.message : String(err), err);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
