/**
 * The send scheduler (src/core/streams/scheduler.ts): strict priority by urgency (0 first), and
 * among streams of one urgency deficit round-robin — streams that always have data end up within
 * one quantum of each other in bytes sent, whatever frame sizes the packets allow.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_URGENCY, Scheduler } from '../../src/core/streams/index.ts';

const RUNS = Number(process.env.JSP_PROPERTY_RUNS ?? 300);

test('fairness: streams of equal urgency that always have data stay within one quantum of each other', () => {
  fc.assert(fc.property(
    fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 3000 }),
    fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 400, size: 'max' }),
    (n, quantum, room) => {
      const s = new Scheduler({ quantum });
      const sent = new Map<number, number>();
      for (let id = 0; id < n; id++) { s.add(id * 4); s.ready(id * 4); sent.set(id * 4, 0); }
      for (const space of room) {
        const next = s.next()!;
        assert.ok(next.budget >= 1 && next.budget <= quantum);
        const bytes = Math.min(space, next.budget);
        sent.set(next.id, sent.get(next.id)! + bytes);
        s.sent(next.id, bytes, true);
        const v = [...sent.values()];
        assert.ok(Math.max(...v) - Math.min(...v) <= quantum, `spread ${Math.max(...v) - Math.min(...v)} > quantum ${quantum}: ${v}`);
      }
    }), { numRuns: RUNS });
});

test('urgency: a more urgent stream with data always goes first; less urgent ones send only when it has none', () => {
  fc.assert(fc.property(fc.array(fc.record({ id: fc.nat(5), u: fc.integer({ min: 0, max: 7 }), act: fc.constantFrom('ready', 'send', 'done', 'urgency') }), { maxLength: 100, size: 'max' }), (ops) => {
    const s = new Scheduler({ quantum: 100 });
    const waiting = new Map<number, number>();
    for (let id = 0; id < 6; id++) s.add(id);
    for (const o of ops) {
      if (o.act === 'ready') { s.ready(o.id); waiting.set(o.id, s.urgencyOf(o.id)!); }
      if (o.act === 'urgency') { s.setUrgency(o.id, o.u); if (waiting.has(o.id)) waiting.set(o.id, o.u); }
      if (o.act === 'send' || o.act === 'done') {
        const next = s.next();
        if (!waiting.size) { assert.is(next, undefined); continue; }
        const most = Math.min(...waiting.values());
        assert.is(s.urgencyOf(next!.id), most, 'the most urgent level sends');
        assert.ok(waiting.has(next!.id));
        s.sent(next!.id, 60, o.act === 'send');
        if (o.act === 'done') waiting.delete(next!.id);
      }
    }
  }), { numRuns: RUNS });
});

test('round-robin order, turns of one quantum, removal and defaults', () => {
  const s = new Scheduler({ quantum: 100 });
  for (const id of [0, 4, 8]) { s.add(id); s.ready(id); }
  assert.is(s.urgencyOf(0), DEFAULT_URGENCY);
  const order: number[] = [];
  for (let i = 0; i < 6; i++) {
    const { id, budget } = s.next()!;
    order.push(id);
    s.sent(id, Math.min(60, budget), true); // two sends per turn: 60 then 40
  }
  assert.equal(order, [0, 0, 4, 4, 8, 8]);
  s.remove(4);
  s.sent(8, 0, false);
  assert.is(s.next()!.id, 0);
  s.ready(8);
  s.sent(0, 0, true);
  assert.is(s.next()!.id, 8, 'a stream that sends nothing yields its turn');
  s.sent(8, 0, false);
  s.sent(0, 0, false);
  assert.is(s.next(), undefined);
  assert.throws(() => s.setUrgency(99, 1), /not scheduled/);
  assert.throws(() => s.add(1, 8), /urgency/);
});

test.run();
