/**
 * `npm start`: shows, with real bytes, what JSP does today — the codecs, then real handshakes
 * between a server and clients over UDP on loopback. As the transport lands (streams, file
 * transfer, 0-RTT resumption) the loopback part grows.
 */
import { DecodeError, Writer } from '../codec/index.ts';
import { ErrorCode, errorCodeName } from '../gen/errors.ts';
import { decodeFrames, sizeFrame, writeFrame, type Frame } from '../gen/frames.ts';
import { decodeInitialPacket, encodeInitialPacket } from '../gen/packets.ts';
import {
  CipherSuite, KexGroup, decodeClientHello, decodeClientOffer, encodeClientHello, encodeClientOffer, type ClientHello, type ClientOffer,
} from '../gen/messages.ts';
import { VERSION_1 } from '../gen/constants.ts';
import { loopbackDemo } from './demo-loopback.ts';

const hex = (b: Uint8Array, max = 24) =>
  Buffer.from(b.subarray(0, max)).toString('hex').replace(/(..)/g, '$1 ').trim() + (b.length > max ? ` … (${b.length} bytes)` : '');

function describe(f: Frame): string {
  const { type, ...rest } = f;
  const fields = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v instanceof Uint8Array ? `<${v.length} bytes>` : Array.isArray(v) ? JSON.stringify(v) : String(v)}`);
  return `${type.toUpperCase()} ${fields.join(' ')}`;
}

export async function runDemo(): Promise<number> {
  console.log('JetStreamProto (JSP) v1 — spec-driven reference implementation\n');

  console.log('1. A ClientHello control message (protobuf wire encoding, generated codec)');
  const offer: ClientOffer = {
    versions: [VERSION_1],
    cipherSuites: [CipherSuite.CHACHA20_POLY1305_SHA256, CipherSuite.AES_256_GCM_SHA256],
    groups: [KexGroup.X25519_MLKEM768, KexGroup.X25519],
    serverKeyId: new Uint8Array(8).fill(0x5e),
    clientAuth: false,
    cookie: new Uint8Array(0),
    pskIdentity: undefined,
    obfuscatedTicketAge: 0,
    earlyData: false,
  };
  const offerBytes = encodeClientOffer(offer);
  // The offer travels as bytes (bound into the Noise prologue); Noise message 1 follows it. The
  // demo has no handshake yet, so the Noise message is 32 filler bytes (an ephemeral key's size).
  const hello: ClientHello = { offer: offerBytes, noise: new Uint8Array(32).fill(0xab) };
  const helloBytes = encodeClientHello(hello);
  console.log(`   offer ${offerBytes.length} bytes: ${hex(offerBytes)}`);
  console.log(`   hello ${helloBytes.length} bytes: ${hex(helloBytes)}`);
  const offerBack = decodeClientOffer(decodeClientHello(helloBytes).offer);
  console.log(`   decodes back to suites ${offerBack.cipherSuites.join(',')}, groups ${offerBack.groups.join(',')}\n`);

  console.log('2. A packet payload of frames (compact binary layout, QUIC-style varints)');
  const frames: Frame[] = [
    { type: 'ack', largestAcknowledged: 41, ackDelay: 3, firstAckRange: 2, ackRanges: [{ gap: 0, length: 4 }], ecn: undefined },
    { type: 'stream', streamId: 0, offset: 1200, hasLength: true, fin: false, data: new TextEncoder().encode('hello over JSP') },
    { type: 'max_data', maximumData: 1 << 20 },
    { type: 'ping', sequence: 1 },
    { type: 'datagram', hasLength: false, data: new TextEncoder().encode('unreliable') },
  ];
  const w = new Writer(frames.reduce((a, f) => a + sizeFrame(f), 0));
  for (const f of frames) writeFrame(w, f);
  const payload = w.finish();
  console.log(`   ${payload.length} bytes: ${hex(payload, 32)}`);
  for (const f of decodeFrames(payload)) console.log(`   ← ${describe(f)}`);
  console.log();

  console.log('3. An Initial packet header around that payload (as seen after header protection is removed)');
  const initial = encodeInitialPacket({
    packetNumberLength: 1, version: VERSION_1, dcid: new Uint8Array(8).fill(0x11), scid: new Uint8Array(8).fill(0x22),
    token: new Uint8Array(0), packetNumber: 0x1234, payload,
  });
  const back = decodeInitialPacket(initial);
  console.log(`   ${initial.length} bytes: ${hex(initial)}`);
  console.log(`   version 0x${back.version.toString(16)}, packet number 0x${back.packetNumber.toString(16)}, payload ${back.payload.length} bytes\n`);

  console.log('4. Decoders are total: a damaged byte gives a typed error, never a crash');
  const bad = payload.slice();
  bad[payload.length - 11] = 0xff; // the DATAGRAM type byte becomes 0xff: the start of an 8-byte type no frame claims
  try {
    decodeFrames(bad);
    console.log('   (decoded — unexpected)');
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    console.log(`   DecodeError ${errorCodeName(e.code)} (0x${e.code.toString(16)}), kind ${e.kind}: ${e.message}`);
  }
  const truncated = payload.subarray(0, 20);
  try {
    decodeFrames(truncated);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    console.log(`   DecodeError ${errorCodeName(e.code)}, kind ${e.kind}: ${e.message}`);
  }
  console.log(`   (FRAME_ENCODING_ERROR is wire code 0x${ErrorCode.FRAME_ENCODING_ERROR.toString(16)}; every code comes from spec/errors.yaml.)\n`);

  console.log('5. Real handshakes over UDP on loopback (Noise NK / NKhfs, pinned server key)');
  let failures = await loopbackDemo((s) => console.log(s));
  console.log('\n6. File transfer and many streams through the public API (listen / connect) on loopback');
  failures += await (await import('./demo-files.ts')).filesDemo((s) => console.log(s));
  console.log('\nTry it yourself: npx jsp server --files DIR, then npx jsp client HOST:PORT --server-key KEY --get PATH (see README, examples/); 0-RTT resumption is in docs/resumption.md.');
  return failures === 0 ? 0 : 1;
}
