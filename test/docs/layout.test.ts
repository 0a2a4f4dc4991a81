/** Layout diagrams of the rendered spec (codegen/emit-docs-layout.ts): RFC 9000 listings and box diagrams. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec } from '../../codegen/load.ts';
import { bitDiagram, boxDiagram, codeText, listing } from '../../codegen/emit-docs-layout.ts';

const spec = loadSpec();
const frames = spec.wire.find((w) => w.union)!;
const packets = spec.wire.find((w) => !w.union)!;
const struct = (file: typeof frames, id: string) => file.structs.find((s) => s.id === id)!;

test('STREAM: the RFC 9000 listing with the type range, optional fields and the length prefix', () => {
  assert.is(listing(struct(frames, 'stream'), frames.union), [
    'STREAM Frame {',
    '  type (i) = 0x08..0x0f,',
    '  stream_id (i),',
    '  [offset (i)],',
    '  [len(data) (i)],',
    '  data (..),',
    '}',
    '',
  ].join('\n'));
  assert.is(codeText(struct(frames, 'ack')), '0x02..0x03');
  assert.is(codeText(struct(frames, 'ping')), '0x01');
});

test('the short header first byte is drawn as in RFC 9000 §17.3.1, with a legend', () => {
  const box = boxDiagram(struct(packets, 'short_header_packet'));
  assert.ok(box.includes('\n|0|1|S|0 0|K|P P|\n'), box);
  assert.ok(box.includes('\nS: spin_bit\nK: key_phase\nP: packet_number_length\n'), box);
  const bits = bitDiagram((struct(packets, 'short_header_packet').fields[0] as any).bits);
  assert.equal(bits.masks, ['0x80', '0x40', '0x20', '0x18', '0x04', '0x03']);
});

test('fixed fields are drawn to scale; a 128-bit token is a 4-row block', () => {
  const box = boxDiagram(struct(frames, 'new_connection_id'), frames.union);
  assert.ok(box.includes('\n|  length (8)   |\n'), box);
  assert.ok(box.includes('+                  stateless_reset_token (128)                  +'), box);
  assert.ok(boxDiagram(struct(packets, 'initial_packet')).includes('\n|                         version (32)                          |\n'));
});

test('every box diagram of the spec is well formed: 65 columns, borders as wide as the rows they close', () => {
  for (const file of spec.wire) {
    for (const s of file.structs) {
      const box = boxDiagram(s, file.union);
      const lines = box.split('\n');
      const body = lines.slice(2, lines.indexOf('') < 0 ? undefined : lines.indexOf(''));
      assert.ok(body.length >= 3, s.id);
      for (const l of body) {
        assert.ok(l.length <= 65, `${s.id}: line too long: ${l}`);
        assert.ok(/^[+|]/.test(l), `${s.id}: ${l}`);
        if (l.startsWith('+-')) assert.match(l, /^(\+-)+\+$/, `${s.id}: border ${l}`);
        else if (l.startsWith('|')) {
          assert.ok(l.endsWith('|') || l.endsWith('...'), `${s.id}: ${l}`);
          assert.is(l.length % 2, 1, `${s.id}: cells align to bit columns: ${l}`);
        }
      }
      assert.match(body[0], /^(\+-)+\+$/);
      assert.match(body[body.length - 1], /^(\+-)+\+$/);
      // Every field appears in the listing.
      const list = listing(s, file.union);
      for (const f of s.fields) {
        if (f.kind === 'bits') for (const b of f.bits) assert.ok(list.includes(`  ${b.id} (${b.width})`), `${s.id}.${b.id}`);
        else assert.ok(list.includes(` ${f.id} (`) || list.includes(`[${f.id} (`), `${s.id}.${f.id}`);
      }
    }
  }
});

test.run();
