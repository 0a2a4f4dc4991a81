/**
 * Which spec requirements a vector case exercises, derived from the IR and the case itself
 * (its flags, its error kind, the struct and field the reference decoder names) — never listed
 * by hand per frame. Each case records them as `reqs`, so requirements trace to vectors (duvet
 * style) and the rendered requirement index can count coverage.
 */
import type { Spec, Struct, WireFile } from '../../../codegen/ir.ts';

const BY_FLAG: Record<string, string[]> = {
  UnknownField: ['messages.unknown-fields'],
  LastWins: ['messages.last-wins'],
  Unpacked: ['messages.wire-types'],
  PackedSplit: ['messages.wire-types'],
  NonCanonical: ['messages.canonical'],
  FieldOrder: ['messages.canonical'],
  EnumUnknownKept: ['messages.enum-range'],
  MaxMessageSize: ['messages.max-size'],
  MessageTooLarge: ['messages.max-size'],
  TooMany: ['protocol.decode.counts'],
  TooFew: ['protocol.decode.counts'],
  VarintOverflow: ['messages.wire-types'],
  NestedMessage: ['protocol.decode.nested-error-code'],
};

function structsOf(spec: Spec): Map<string, { file: WireFile; s: Struct }> {
  const m = new Map<string, { file: WireFile; s: Struct }>();
  for (const f of spec.wire) for (const s of f.structs) m.set(s.id, { file: f, s });
  return m;
}

function messageIds(spec: Spec): Set<string> {
  return new Set(spec.messages.flatMap((f) => f.messages.map((m) => m.id)));
}

/** Requirement ids of constants (with requirements) whose value is `v`: a field bounded by `max_value` cites it. */
function constantReqs(spec: Spec, v: bigint): string[] {
  return spec.constants.constants.filter((c) => c.value === v && c.req.length).flatMap((c) => c.req.map((r) => r.id));
}

export interface CaseFacts {
  result: 'valid' | 'invalid';
  flags: string[];
  /** Union member or struct/message id the case is about (for valid cases). */
  owner?: string;
  errorKind?: string;
  /** The reference decoder's detail, `owner.field: kind (…)`. */
  detail?: string;
}

export function requirementsFor(spec: Spec, facts: CaseFacts): string[] {
  const out = new Set<string>();
  for (const f of facts.flags) for (const r of BY_FLAG[f] ?? []) out.add(r);
  const structs = structsOf(spec);
  const messages = messageIds(spec);
  if (facts.result === 'valid') {
    if (facts.flags.includes('ConstraintBoundary') && facts.owner) {
      for (const c of structs.get(facts.owner)?.s.constraints ?? []) for (const r of c.req) out.add(r.id);
    }
    return [...out].sort();
  }

  out.add('protocol.decode.total');
  if ((facts.detail ?? '').endsWith('[FRAME_ENCODING_ERROR]')) out.add('errors.frame-encoding');
  const path = (facts.detail ?? '').split(':')[0];
  const [owner, field] = path.split('.');
  const wire = structs.get(owner);
  const isMessage = messages.has(owner);
  const fileId = wire?.file.id;
  switch (facts.errorKind) {
    case 'non_minimal':
      out.add('protocol.varint.minimal');
      if (fileId === 'frames' || owner === 'frame') out.add(field === 'type' ? 'frames.type.minimal' : 'frames.varint.minimal');
      break;
    case 'unknown_type':
      out.add('frames.unknown-type');
      break;
    case 'invalid_const':
      if (field === 'header_form' || field === 'fixed_bit') out.add('packets.fixed-bit');
      if (field === 'reserved') out.add('packets.reserved-bits');
      break;
    case 'constraint':
      for (const c of wire?.s.constraints ?? []) for (const r of c.req) out.add(r.id);
      break;
    case 'wire_type':
      out.add('messages.wire-types');
      break;
    case 'invalid_utf8':
    case 'missing_field':
      out.add('messages.ranges');
      break;
    case 'invalid_enum':
      out.add(isMessage ? 'messages.enum-range' : 'protocol.decode.order');
      break;
    case 'too_many':
      out.add(isMessage ? 'messages.ranges' : 'protocol.decode.counts');
      break;
    case 'out_of_range': {
      if (isMessage) {
        out.add('messages.ranges');
        if (/absent/.test(facts.detail ?? '')) out.add('messages.defaults-checked');
        const msg = spec.messages.flatMap((f) => f.messages).find((m) => m.id === owner);
        const fl = msg?.fields.find((x) => x.id === field);
        if (fl?.type === 'enum') out.add('messages.enum-range');
        if (fl) for (const r of [...fl.req, ...constantReqs(spec, fl.max)]) out.add(typeof r === 'string' ? r : r.id);
        break;
      }
      const fl = wire?.s.fields.find((x) => x.id === field);
      if (fl) {
        for (const r of fl.req) out.add(r.id);
        if (fl.kind === 'int') {
          for (const r of constantReqs(spec, fl.max)) out.add(r);
          if (fl.value?.terms.some((t) => t.atom.kind === 'count')) out.add('protocol.decode.counts');
        }
        if (fl.kind === 'bytes') out.add('protocol.decode.sizes');
      }
      if (wire) for (const r of wire.s.req) out.add(r.id);
      break;
    }
  }
  return [...out].sort();
}
