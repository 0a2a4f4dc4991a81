/**
 * `jsp bench codec`: the generated codec against its peers, in one run.
 *
 * - Control messages: generated protobuf codec vs protobufjs (loading schema/jetstream.proto),
 *   encode + decode of the same ClientOffer (the handshake's cleartext offer: packed repeated
 *   numerics, enums, short bytes), ClientHello (the offer's bytes and a Noise message 1 of
 *   realistic size: two byte fields) and TransportParameters.
 * - Frames: a typical packet payload (ACK, STREAM with 1000 bytes, MAX_DATA, PING) encoded and
 *   decoded by the generated codec vs a hand-written DataView loop doing the same work.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { Writer } from '../codec/index.ts';
import { decodeFrames, writeFrame, sizeFrame, type Frame } from '../gen/frames.ts';
import * as msgs from '../gen/messages.ts';
import { compare, type BenchResult } from './harness.ts';
import { handEncodePayload, handDecodePayload, type HandFrames } from './handwritten.ts';

const PROTO = fileURLToPath(new URL('../../schema/jetstream.proto', import.meta.url));

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

const transportParameters: msgs.TransportParameters = {
  maxIdleTimeoutMs: 30_000,
  maxUdpPayloadSize: 1452,
  initialMaxData: 16 * 1024 * 1024,
  initialMaxStreamDataBidiLocal: 1024 * 1024,
  initialMaxStreamDataBidiRemote: 1024 * 1024,
  initialMaxStreamDataUni: 1024 * 1024,
  initialMaxStreamsBidi: 100,
  initialMaxStreamsUni: 100,
  ackDelayExponent: 3,
  maxAckDelayMs: 25,
  activeConnectionIdLimit: 4,
  maxDatagramFrameSize: 1200,
  disableActiveMigration: false,
  initialSourceConnectionId: bytes(8, 1),
  originalDestinationConnectionId: undefined,
  retrySourceConnectionId: undefined,
  statelessResetToken: undefined,
  keepAliveIntervalMs: 10_000,
  partialReliability: true,
};

const clientOffer: msgs.ClientOffer = {
  versions: [0x4a535001],
  cipherSuites: [msgs.CipherSuite.CHACHA20_POLY1305_SHA256, msgs.CipherSuite.AES_256_GCM_SHA256],
  groups: [msgs.KexGroup.X25519_MLKEM768, msgs.KexGroup.X25519],
  serverKeyId: bytes(8, 2),
  clientAuth: true,
  cookie: new Uint8Array(0),
  pskIdentity: undefined,
  obfuscatedTicketAge: 0,
  earlyData: false,
};

const clientPayload: msgs.ClientPayload = { transportParameters, alpn: ['jsp/1', 'echo'] };

/**
 * Noise message 1 of the hybrid IK handshake, by size: the ephemeral X25519 key (32), the ML-KEM-768
 * encapsulation key (1184), the encrypted static key (32 + 16) and the encrypted ClientPayload (+ 16).
 * The bytes are filler: the bench measures the codec, not the handshake.
 */
const noiseLength = 32 + 1184 + 32 + 16 + msgs.encodeClientPayload(clientPayload).length + 16;

const clientHello: msgs.ClientHello = {
  offer: msgs.encodeClientOffer(clientOffer),
  noise: bytes(noiseLength, 3),
};

/** protobufjs wants plain objects without `undefined` keys. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]));
}

function messageBench(root: protobuf.Root, name: string, pbName: string, value: object,
  encode: (v: any) => Uint8Array, decode: (b: Uint8Array) => unknown): BenchResult[] {
  const T = root.lookupType(pbName);
  const pbMsg = T.fromObject(plain(value) as object);
  const ours = encode(value);
  const theirs = T.encode(pbMsg).finish();
  if (Buffer.compare(Buffer.from(ours), Buffer.from(theirs)) !== 0) {
    throw new Error(`${name}: generated codec and protobufjs disagree on the bytes; the bench compares like with like only`);
  }
  const t = compare([
    { name: 'jsp', run: () => decode(encode(value)) },
    { name: 'protobufjs', run: () => T.decode(T.encode(pbMsg).finish()) },
  ]);
  const jsp = t.get('jsp')!;
  const pb = t.get('protobufjs')!;
  return [
    { name: `${name} encode+decode (${ours.length} B)`, value: jsp, unit: 'ns/op', peer: 'protobufjs', ratio: pb / jsp },
    { name: `${name} encode+decode, protobufjs`, value: pb, unit: 'ns/op' },
  ];
}

const payloadFrames: Frame[] = [
  { type: 'ack', largestAcknowledged: 100_000, ackDelay: 25, firstAckRange: 10, ackRanges: [{ gap: 1, length: 3 }, { gap: 5, length: 20 }], ecn: undefined },
  { type: 'stream', streamId: 4, offset: 65_536, hasLength: true, fin: false, data: bytes(1000, 4) },
  { type: 'max_data', maximumData: 16 * 1024 * 1024 },
  { type: 'ping', sequence: 7 },
];
const handFrames: HandFrames = {
  ack: { largest: 100_000, delay: 25, first: 10, ranges: [[1, 3], [5, 20]] },
  stream: { id: 4, offset: 65_536, data: bytes(1000, 4) },
  maxData: 16 * 1024 * 1024,
  ping: 7,
};

function frameBench(): BenchResult[] {
  const size = payloadFrames.reduce((a, f) => a + sizeFrame(f), 0);
  const buf = new Uint8Array(size);
  const encodeGen = () => {
    const w = new Writer(buf);
    for (const f of payloadFrames) writeFrame(w, f);
    return w.finish();
  };
  const handBuf = new Uint8Array(2048);
  const handBytes = handEncodePayload(handBuf, handFrames);
  const genBytes = encodeGen();
  if (Buffer.compare(Buffer.from(handBytes), Buffer.from(genBytes)) !== 0) {
    throw new Error('frames: hand-written and generated encodings differ; the bench compares like with like only');
  }
  const t = compare([
    { name: 'gen', run: () => decodeFrames(encodeGen()) },
    { name: 'hand', run: () => handDecodePayload(handEncodePayload(handBuf, handFrames)) },
  ]);
  const gen = t.get('gen')!;
  const hand = t.get('hand')!;
  return [
    { name: `frames encode+decode (payload ${size} B, 4 frames)`, value: gen, unit: 'ns/op', peer: 'hand-written DataView loop', ratio: hand / gen },
    { name: 'frames encode+decode, hand-written DataView loop', value: hand, unit: 'ns/op' },
  ];
}

export function benchCodec(): BenchResult[] {
  const root = protobuf.loadSync(PROTO);
  return [
    ...messageBench(root, 'ClientOffer', 'jsp.v1.ClientOffer', clientOffer, msgs.encodeClientOffer, msgs.decodeClientOffer),
    ...messageBench(root, 'ClientHello', 'jsp.v1.ClientHello', clientHello, msgs.encodeClientHello, msgs.decodeClientHello),
    ...messageBench(root, 'TransportParameters', 'jsp.v1.TransportParameters', transportParameters, msgs.encodeTransportParameters, msgs.decodeTransportParameters),
    ...frameBench(),
  ];
}
