/**
 * The intermediate representation every emitter reads.
 *
 * `codegen/load.ts` turns the YAML files of `spec/` into one {@link Spec}: schema-validated,
 * every reference resolved, every integer exact (`bigint`), every derived bound computed.
 * Emitters never look at YAML; they walk this tree. Names here are the spec's own ids
 * (snake_case); each emitter maps them to its language's conventions.
 */

/** A requirement: a stable id that tests, vectors and docs cite (as duvet does for s2n-quic). */
export interface Req {
  id: string;
  level: 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY';
  text: string;
}

/** Every element of the spec carries prose and zero or more requirements. */
export interface Documented {
  doc: string;
  req: Req[];
}

export interface SpecFile extends Documented {
  /** Path relative to the repository root, e.g. `spec/frames.yaml`. */
  path: string;
  /** sha256 of the file's bytes, hex; generated files name it in their header. */
  sha256: string;
  id: string;
  kind: 'constants' | 'errors' | 'wire' | 'messages' | 'protocol' | 'crypto' | 'machine';
  title: string;
  version: number;
  xref?: string;
}

// ───────────────────────────── constants and errors ─────────────────────────────

export interface Constant extends Documented {
  id: string;
  value: bigint;
  unit?: string;
}

export interface ErrorCode extends Documented {
  /** UPPER_SNAKE, e.g. `FRAME_ENCODING_ERROR`. */
  id: string;
  code: bigint;
}

export interface DecodeErrorKindDef extends Documented {
  /** e.g. `truncated`, `trailing_bytes`, `non_minimal`. */
  id: string;
}

// ───────────────────────────── expressions ─────────────────────────────

/**
 * The whole expression language: sums and differences of integer literals, references
 * (to an earlier field, a struct parameter or a constant), `len(field)` (byte length of a
 * bytes field), `count(field)` (element count of a repeated field) and `rest` (bytes left
 * in the enclosing input; only in sizes). Nothing else: a spec that needs a programming
 * language is one other languages cannot generate from.
 */
export type Atom =
  | { kind: 'int'; value: bigint }
  | { kind: 'field'; id: string }
  | { kind: 'param'; id: string }
  | { kind: 'const'; id: string; value: bigint }
  | { kind: 'len'; id: string }
  | { kind: 'count'; id: string }
  | { kind: 'rest' };

export interface Expr {
  /** Source text, for messages and docs. */
  text: string;
  terms: Array<{ sign: 1 | -1; atom: Atom }>;
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A constraint between fields: `left op right`, checked after decoding and before encoding. */
export interface Constraint extends Documented {
  text: string;
  left: Expr;
  op: CompareOp;
  right: Expr;
}

/** Presence condition of an optional field: a boolean flag (bit or code flag), maybe negated. */
export interface Cond {
  text: string;
  flag: string;
  negate: boolean;
}

// ───────────────────────────── binary layouts (kind: wire) ─────────────────────────────

export type IntType = 'u8' | 'u16' | 'u32' | 'u64' | 'varint';

/** Largest value each integer type can carry on the wire. */
export const INT_TYPE_MAX: Record<IntType, bigint> = {
  u8: 0xffn,
  u16: 0xffffn,
  u32: 0xffff_ffffn,
  u64: 0xffff_ffff_ffff_ffffn,
  varint: (1n << 62n) - 1n,
};

/** How many bytes a bytes/message field occupies. */
export type Size =
  | { kind: 'fixed'; n: number }
  /** A length computed from earlier fields/params, e.g. `dcid_length` or `length - packet_number_length - 1`. */
  | { kind: 'expr'; expr: Expr }
  /**
   * A length prefix of the given integer type written just before the data. With `if`, the
   * prefix is there only when the flag holds; otherwise the data runs to the end of the input
   * (QUIC's LEN bit).
   */
  | { kind: 'prefix'; type: IntType; if?: Cond }
  /** Everything left in the enclosing input, less `minus` bytes kept for fields after it. */
  | { kind: 'rest'; minus: number };

export type Repeat =
  /** Exactly `count` elements; `count` is usually a derived field `value: count(x)`. */
  | { kind: 'count'; count: Expr }
  /** Elements until the enclosing input ends. */
  | { kind: 'eos' };

interface FieldBase extends Documented {
  id: string;
  /** Present only when the condition holds (flag bits); absent otherwise. */
  if?: Cond;
}

/** A big-endian integer or a varint. */
export interface IntField extends FieldBase {
  kind: 'int';
  type: IntType;
  /** Inclusive bounds. `max` defaults to the type's maximum; both are resolved from constants. */
  min: bigint;
  max: bigint;
  /** The field must have exactly this value; it is checked on decode and not stored in values. */
  const?: bigint;
  /** Values are members of this enum (of the same file). */
  enum?: string;
  /**
   * Derived field: its value is computed from this expression when encoding (e.g. `len(cid)`,
   * `count(ack_ranges)`) and it is not stored in values. On decode it is read and used by
   * later sizes/counts.
   */
  value?: Expr;
  repeat?: Repeat;
  minCount?: number;
  maxCount?: number;
}

/** An unsigned big-endian integer whose width in bytes (1..4) comes from an expression (packet numbers). */
export interface UintField extends FieldBase {
  kind: 'uint';
  width: Expr;
  min: bigint;
  max: bigint;
}

/** One sub-field of a byte split into bit fields, most significant first. */
export interface BitField extends Documented {
  id: string;
  width: number;
  /** Fixed value (checked on decode, not stored). */
  const?: bigint;
  /** A 1-bit field exposed as a boolean. */
  bool: boolean;
  enum?: string;
  /** Inclusive maximum (defaults to 2^width - 1). */
  max: bigint;
}

/** A byte (8 bits) packed with bit fields, as a QUIC first byte. The container itself has no value. */
export interface BitsField extends FieldBase {
  kind: 'bits';
  bits: BitField[];
}

export interface BytesField extends FieldBase {
  kind: 'bytes';
  size: Size;
  minSize: number;
  /** Inclusive; `Infinity` when only the input bounds it. */
  maxSize: number;
}

/** A nested binary struct of the same file (repeated or optional). */
export interface StructField extends FieldBase {
  kind: 'struct';
  struct: string;
  repeat?: Repeat;
  minCount?: number;
  maxCount?: number;
}

/** A protobuf message carried inside a binary field (from a `messages` file). */
export interface MessageField extends FieldBase {
  kind: 'message';
  message: string;
  size: Size;
  maxSize: number;
}

export type Field = IntField | UintField | BitsField | BytesField | StructField | MessageField;

/** Flags carried in the low bits of a union member's type code (as QUIC's STREAM 0x08–0x0f). */
export interface CodeFlag extends Documented {
  id: string;
  bit: number;
  /**
   * When set, the flag is not a value field: it is 1 exactly when the named optional field is
   * present. Otherwise the flag is a boolean field of the value.
   */
  presenceOf?: string;
}

export interface StructParam extends Documented {
  id: string;
}

export interface Struct extends Documented {
  id: string;
  /** Arguments the decoder needs from context (e.g. a short header's connection ID length). */
  params: StructParam[];
  fields: Field[];
  constraints: Constraint[];
  /** Set on members of the file's union: the base type code, and flags in its low bits. */
  code?: bigint;
  flags: CodeFlag[];
  /** Exact bounds of the encoded size in bytes (including the type code for union members). */
  minSize: number;
  maxSize: number;
}

/** A tagged union: each member struct is introduced by its type code. */
export interface Union extends Documented {
  id: string;
  tag: IntType;
  /** Member struct ids, in spec order. */
  members: string[];
  /** What a decoder does with a code no member claims. */
  unknown: 'error';
}

export interface EnumValue extends Documented {
  id: string;
  value: bigint;
}

export interface EnumDef extends Documented {
  id: string;
  /** `error`: a value outside the table is a decode error; `keep`: it is kept as a number. */
  unknown: 'error' | 'keep';
  values: EnumValue[];
}

export interface WireFile extends SpecFile {
  kind: 'wire';
  /** Error code (an `errors` id) that decode errors of this file carry. */
  error: string;
  enums: EnumDef[];
  structs: Struct[];
  union?: Union;
}

// ───────────────────────────── protobuf messages (kind: messages) ─────────────────────────────

export type PbScalar = 'uint32' | 'uint64' | 'bool' | 'bytes' | 'string';

export interface PbField extends Documented {
  id: string;
  number: number;
  type: PbScalar | 'enum' | 'message';
  enum?: string;
  message?: string;
  repeated: boolean;
  /**
   * Explicit presence (proto3 `optional`, and every message field): absent is distinct from
   * the default. Fields without it are omitted on the wire when they hold the default.
   */
  optional: boolean;
  /** An optional field that a valid message must carry (checked by our decoder, not by protobuf). */
  required: boolean;
  /** Inclusive bounds for integers (defaults: 0 and the type's maximum). */
  min: bigint;
  max: bigint;
  /** Inclusive byte-length bounds for bytes and string. */
  minSize: number;
  maxSize: number;
  /** Inclusive element-count bound for repeated fields. */
  maxCount: number;
}

export interface Message extends Documented {
  id: string;
  /** Error code for decode errors of this message (defaults to the file's). */
  error: string;
  fields: PbField[];
}

export interface MessagesFile extends SpecFile {
  kind: 'messages';
  /** protobuf package, e.g. `jsp.v1`. */
  package: string;
  error: string;
  enums: EnumDef[];
  messages: Message[];
}

export interface ConstantsFile extends SpecFile {
  kind: 'constants';
  constants: Constant[];
}

export interface ErrorsFile extends SpecFile {
  kind: 'errors';
  codes: ErrorCode[];
  decodeErrorKinds: DecodeErrorKindDef[];
}

/** Prose-only files (overview, versioning rules): docs and requirements, no codec. */
export interface ProtocolFile extends SpecFile {
  kind: 'protocol';
  sections: Array<Documented & { id: string; title: string }>;
}

// ───────────────────────────── cryptography (kind: crypto) ─────────────────────────────

/** A cipher suite; `id` and `value` are those of the `cipher_suite` enum of the messages file. */
export interface Suite extends Documented {
  id: string;
  value: number;
  aead: 'chacha20-poly1305' | 'aes-256-gcm';
  /** The cipher's name in the Noise protocol name. */
  noiseCipher: 'ChaChaPoly' | 'AESGCM';
  headerProtection: 'chacha20' | 'aes-256-ecb';
  keyLength: number;
  ivLength: number;
  tagLength: number;
  /** Packets that may be sealed under one key. */
  confidentialityLimit: bigint;
  /** Packets that may fail to open, counted over all keys. */
  integrityLimit: bigint;
}

/** A key-exchange group; `id` and `value` are those of the `kex_group` enum of the messages file. */
export interface Group extends Documented {
  id: string;
  value: number;
  /** The DH name in the Noise protocol name. */
  noiseDh: '25519' | '25519+MLKEM768';
  serverAuthPattern: string;
  mutualAuthPattern: string;
}

/** A constant of the crypto file: bytes, an integer, or a suite id. */
export type CryptoConstant = Documented & { id: string } & (
  | { kind: 'bytes'; hex: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'suite'; suite: string });

/**
 * What a schedule step reads: an input (`part` names a finished Noise handshake's final chaining
 * key `ck` or handshake hash `h`), a bytes constant, an earlier step, or ASCII bytes written out.
 */
export type KeyRef =
  | { kind: 'input'; id: string; part?: 'ck' | 'h' }
  | { kind: 'constant'; id: string }
  | { kind: 'step'; id: string }
  | { kind: 'ascii'; text: string };

/** One named derivation of the key schedule; `length` is its output in bytes. */
export type ScheduleStep = Documented & { id: string; length: number } & (
  /** HKDF-Extract(salt, ikm). */
  | { op: 'extract'; salt: KeyRef; ikm: KeyRef }
  /** HKDF-Expand-Label(secret, label, context or empty, length). */
  | { op: 'expand_label'; secret: KeyRef; label: string; context?: KeyRef }
  /** Split() of a finished Noise handshake: k1 ‖ k2. */
  | { op: 'noise'; from: KeyRef }
  /** Bytes offset .. offset + length of an earlier step. */
  | { op: 'take'; secret: KeyRef; offset: number }
  /** H(hash_of) ‖ HMAC(key, prefix ‖ label ‖ H(hash_of) ‖ data). */
  | { op: 'concat_hmac'; hashOf: KeyRef; key: KeyRef; data: KeyRef; label: string });

export interface CryptoFile extends SpecFile {
  kind: 'crypto';
  hash: Documented & { id: string; name: string; length: number };
  expandLabel: Documented & { prefix: string };
  suites: Suite[];
  groups: Group[];
  /** `format` has the placeholders `{pattern}`, `{dh}` and `{cipher}`; `example` is one name it gives. */
  protocolName: Documented & { format: string; example: string };
  prologue: Documented & { label: string };
  inputs: Array<Documented & { id: string }>;
  constants: CryptoConstant[];
  schedule: ScheduleStep[];
  /** Prose topics, each one paragraph or more, and the requirements of packet protection. */
  packetProtection: { nonce: string; headerProtection: string; keyUpdate: string; limits: string; req: Req[] };
}

// ───────────────────────────── state machines (kind: machine) ─────────────────────────────

export interface MachineState extends Documented {
  id: string;
  /** No transitions leave it; it ignores every event. */
  terminal: boolean;
}

export interface MachineEvent extends Documented {
  id: string;
  /** Declared only so that receiving it is the `on_invalid` error: no transition takes it. */
  alwaysInvalid: boolean;
}

/** One row of a machine's table. */
export interface Transition extends Documented {
  state: string;
  event: string;
  /** The outcome of checking the event that selects this row; rows of one (state, event) either all have one or none does. */
  guard?: string;
  next: string;
  actions: string[];
  /** A transport error code (an `errors` id) the machine fails with. */
  error?: string;
}

/** A state machine as a table (`spec/machines/*.yaml`). */
export interface Machine extends Documented {
  /** Unique across the spec: generated names are prefixed with it (`client` → `ClientState`). */
  id: string;
  role: string;
  initial: string;
  /** What an event with no transition from a non-terminal state does. */
  onInvalid: { next: string; error: string; req: Req[] };
  states: MachineState[];
  events: MachineEvent[];
  guards: Array<Documented & { id: string }>;
  actions: Array<Documented & { id: string }>;
  transitions: Transition[];
}

export interface MachineFile extends SpecFile {
  kind: 'machine';
  machines: Machine[];
}

/** The whole loaded spec. */
export interface Spec {
  files: SpecFile[];
  constants: ConstantsFile;
  errors: ErrorsFile;
  wire: WireFile[];
  messages: MessagesFile[];
  protocol: ProtocolFile[];
  /** The crypto file, when the spec has one. */
  crypto?: CryptoFile;
  /** Machine files (`spec/machines/*.yaml`), sorted by path. */
  machines: MachineFile[];
  /** Every requirement id in the spec, with where it stands (file path and element path). */
  requirements: Array<Req & { file: string; where: string }>;
}

/** Kinds whose files define codecs: what the generated codecs of every language are made from. */
export const CODEC_KINDS: ReadonlyArray<SpecFile['kind']> = ['constants', 'errors', 'wire', 'messages'];

/** The spec files a codec is generated from (constants, errors, wire and messages files). */
export function codecFiles(spec: Spec): SpecFile[] {
  return spec.files.filter((f) => CODEC_KINDS.includes(f.kind));
}

/** What a step reads, with the role of each read (`salt`, `ikm`, `secret`, …). */
export function stepReads(s: ScheduleStep): Array<[string, KeyRef]> {
  switch (s.op) {
    case 'extract': return [['salt', s.salt], ['ikm', s.ikm]];
    case 'expand_label': return s.context ? [['secret', s.secret], ['context', s.context]] : [['secret', s.secret]];
    case 'noise': return [['from', s.from]];
    case 'take': return [['secret', s.secret]];
    case 'concat_hmac': return [['hash_of', s.hashOf], ['key', s.key], ['data', s.data]];
  }
}

