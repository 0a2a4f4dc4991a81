/**
 * Pages for implementers: the conformance suite (adapter protocol and vectors), generating a
 * codec, and the requirements index with its coverage by tests and vectors.
 */
import { camel } from './naming.ts';
import type { ProtocolFile, Spec, SpecFile } from './ir.ts';
import {
  bullets, cell, code, fence, heading, inline, link, prose, reqAnchor, reqList, table, TO_ROOT,
  type DocsCtx, type Page,
} from './emit-docs-md.ts';
import { CITATION_DIRS, MACHINE_VECTORS_DIR, VECTORS_DIR, type Citations, type MachineVectorFile, type VectorFile } from './emit-docs-sources.ts';
import { filePage, sections } from './emit-docs-tables.ts';

export function conformancePage(ctx: DocsCtx, adapter: ProtocolFile | undefined, vectors: VectorFile[], machineVectors: MachineVectorFile[] = []): Page {
  const spec = ctx.spec;
  const page = 'conformance.md';
  let b = heading(1, undefined, 'Conformance: vectors and the adapter protocol') + '\n';
  b += 'Any implementation, in any language, can be checked against this specification: the golden vectors pin what every decoder and encoder must do with given bytes, and the runner feeds them to your implementation through a small line protocol on stdin/stdout.\n';

  b += '\n' + heading(2, 'running', 'Running the suite') + '\n';
  b += fence([
    '# the reference implementation, as a baseline',
    'npx jsp conformance --impl "npx jsp adapter"',
    '',
    '# yours: any command that speaks the adapter protocol below',
    'npx jsp conformance --impl "./my-adapter" --junit report.xml --json report.json',
    '',
    '# only some cases; known failures listed one id per line',
    'npx jsp conformance --impl "./my-adapter" --filter codec/frames --expected-failures xfail.txt',
  ].join('\n'), 'sh');
  b += '\nEach case is reported as pass, fail, unsupported (a request family your adapter did not announce) or expected failure; the run ends with `N passed, N failed` and exits non-zero on a failure. `npx jsp conformance --help` lists every option (timeouts, another vector directory, verbose output).\n';

  if (adapter) {
    b += '\n' + heading(2, 'adapter', inline(adapter.title)) + '\n' + prose(adapter.doc);
    if (adapter.req.length) b += '\n' + reqList(ctx, page, adapter.title, adapter.req);
    b += sections(ctx, page, adapter, 3);
  }

  b += '\n' + heading(2, 'vectors', 'Golden vectors') + '\n';
  b += `The vectors are JSON files in ${code(VECTORS_DIR + '/')}, one per spec file, in the style of Wycheproof. They are derived from the spec by a reference interpreter that shares no code with the runtime, and name the spec hash they were made from.\n\n`;
  b += table(['File', 'Spec file', 'Cases', 'Valid', 'Invalid', 'Made from the current spec'], vectors.map((v) => {
    const sf = spec.files.find((f) => f.path === v.specFile);
    const fresh = sf ? (sf.sha256 === v.specSha256 ? 'yes' : `**no** (made from ${code(v.specSha256.slice(0, 16))}, spec is ${code(sf.sha256.slice(0, 16))}; run \`npm run vectors\`)`) : 'unknown spec file';
    return [link(code(v.path.split('/').pop()!), TO_ROOT + v.path), sf ? link(code(v.specFile), filePage(sf)) : code(v.specFile), String(v.numberOfTests), String(v.valid), String(v.invalid), fresh];
  }));
  b += `\nTotal: ${vectors.reduce((a, v) => a + v.numberOfTests, 0)} cases. Each layout and message section of the spec links to its own cases.\n`;

  b += '\n' + heading(3, 'format', 'Format') + '\n';
  b += fence(`{ "schema": "codec_vectors_v1", "specFile": "spec/frames.yaml", "specSha256": "…", "numberOfTests": 803,
  "notes": { "VarintEdge": "…" },
  "testGroups": [ { "kind": "union|struct|message", "target": "frame", "tests": [
    { "tcId": 1, "comment": "…", "flags": ["VarintEdge"], "result": "valid", "input": "08…", "value": { "type": "stream", … } },
    { "tcId": 2, "comment": "…", "flags": ["Truncated"], "result": "invalid", "input": "08…",
      "error": "FRAME_ENCODING_ERROR", "errorKind": "truncated" } ] } ] }`, 'json');
  b += '\n' + bullets([
    '`kind` and `target` say what to decode: `union` + `frame` is one frame (its type varint included), `struct` + `initial_packet` one packet, `message` + `client_hello` one control message. The whole input is one value: bytes left over are `trailing_bytes`.',
    '`params`, when present, are decoder arguments (`{"dcid_length": 8}` for a short header).',
    'A **valid** case passes when decoding `input` gives `value`, and encoding `value` gives `canonical` when the case has it (a valid but non-canonical input), else `input`.',
    'An **invalid** case passes when decoding `input` fails with the spec error code `error` and the decode error kind `errorKind`.',
    'Values use the spec\'s snake_case ids; union members carry `"type"`; integers are JSON numbers up to 2^53 − 1 and decimal strings above; bytes are lowercase hex; strings are JSON strings; enums are numbers. Absent optional fields, derived fields, fixed fields and presence flags are omitted (the bytes imply them); a decoded control message carries every implicit-presence field with its default.',
  ]);

  if (machineVectors.length) {
    b += '\n' + heading(3, 'machine-vectors', 'State-machine vectors') + '\n';
    b += `${code(MACHINE_VECTORS_DIR + '/')} holds one file per machine file (${code('machine_vectors_v1')}): for every machine, every state and every event, with every guard the pair checks, the expected next state, actions and error — a terminal state ignores the event, a pair without a row is the machine's ${code('on_invalid')} error. They are made by the reference interpreter from the tables (\`npm run vectors:machines\`); the format is in ${link(code('codegen/README.md'), `${TO_ROOT}codegen/README.md`)}.\n\n`;
    b += table(['File', 'Spec file', 'Cases', 'Transitions', 'Without a transition', 'Ignored (terminal)'], machineVectors.map((v) => {
      const sf = spec.files.find((f) => f.path === v.specFile);
      return [link(code(v.path.split('/').pop()!), TO_ROOT + v.path), sf ? link(code(v.specFile), filePage(sf)) : code(v.specFile), String(v.numberOfTests),
        String(v.byResult.get('transition') ?? 0), String(v.byResult.get('invalid') ?? 0), String(v.byResult.get('ignored') ?? 0)];
    }));
  }

  const flags = new Map<string, { text: string; files: string[] }[]>();
  for (const v of vectors) for (const [flag, text] of v.notes) {
    const list = flags.get(flag) ?? [];
    const same = list.find((x) => x.text === text);
    if (same) same.files.push(v.path.split('/').pop()!);
    else list.push({ text, files: [v.path.split('/').pop()!] });
    flags.set(flag, list);
  }
  if (flags.size) {
    b += '\n' + heading(3, 'flags', 'Flags') + '\nEvery case carries flags saying what it exercises:\n\n';
    const rows: string[][] = [];
    for (const flag of [...flags.keys()].sort()) for (const x of flags.get(flag)!) rows.push([code(flag), cell(inline(x.text)), x.files.join(', ')]);
    b += table(['Flag', 'Meaning', 'Files'], rows);
  }
  const uses = [...vectors, ...machineVectors].map((v) => ({ path: v.path, sha256: v.sha256 }));
  return { file: page, title: 'Conformance', body: b, sources: adapter ? [adapter] : [], uses };
}

export function codegenPage(spec: Spec): Page {
  const modules = [spec.constants, spec.errors, ...spec.wire, ...spec.messages, ...(spec.crypto ? [spec.crypto] : []), ...spec.machines];
  const moduleName = (m: SpecFile) => (m.kind === 'machine' ? `machine-${m.id.replace(/_/g, '-')}.ts` : `${m.id}.ts`);
  let b = heading(1, undefined, 'Generating a codec') + '\n';
  b += 'The code generator turns the spec into a self-contained codec — encode and decode for every packet, frame and control message, with typed errors carrying the spec\'s error codes — so an implementation never hand-copies a layout.\n';
  b += '\n' + heading(2, 'command', 'The command') + '\n';
  b += fence('npx jsp codegen --lang ts --out DIR', 'sh');
  b += `\nwrites one module per spec file into \`DIR/gen/\` (${modules.map((m) => code(moduleName(m))).join(', ')} and \`index.ts\`), the small runtime they use (Reader, Writer, typed errors) into \`DIR/codec/\`, and a \`package.json\` marking the directory as an ES module package. The modules import nothing else.\n`;
  b += '\n' + heading(2, 'languages', 'Languages') + '\n';
  b += table(['Language', 'Status'], [
    ['TypeScript (`--lang ts`)', 'available; the reference runtime uses the same output (`src/gen/`)'],
    ['Python, Rust, C, Go', 'planned: they come with the conformance work, each with an adapter program for the runner'],
    ['protobuf (any language)', `the control messages only: ${link(code('schema/jetstream.proto'), `${TO_ROOT}schema/jetstream.proto`)}, generated from the spec and committed`],
  ]);
  b += '\n' + heading(2, 'api', 'What the TypeScript codec exports') + '\n';
  b += table(['Function', 'Does'], [
    ['`readP(r, ...params)`', 'decodes one `P` from a Reader, advancing it (a message reads to the end)'],
    ['`writeP(w, v)`', 'validates `v` and writes it; throws `EncodeError` on an invalid value'],
    ['`sizeP(v)`', 'the exact encoded size'],
    ['`decodeP(bytes, ...params)`', 'decodes the whole input; bytes left over are a `DecodeError` (`trailing_bytes`)'],
    ['`encodeP(v)`', 'allocates exactly `sizeP(v)` bytes and writes'],
    ['`decodeFrames(bytes)`', 'a packet payload: frames until the end'],
  ]);
  b += '\n`P` is the PascalCase name of a struct or message (`StreamFrame`, `InitialPacket`, `ClientHello`) or of a union (`Frame`). Decoders are total: any input gives a value or a `DecodeError` whose `code` is the spec error code and whose `kind` is a decode error kind. Every generated file starts with a header naming the spec file and its sha256.\n';
  b += fence(`import { decodeFrames, encodeFrame } from './DIR/gen/index.ts';

const bytes = encodeFrame({ type: 'stream', streamId: 4, offset: 0, hasLength: true, fin: true, data });
for (const frame of decodeFrames(payload)) {
  if (frame.type === 'stream') handle(frame.streamId, frame.offset ?? 0, frame.data);
}`, 'ts');
  if (spec.crypto || spec.machines.length) {
    b += '\n' + heading(2, 'tables', 'Crypto tables and state machines') + '\n';
    b += 'Beside the codecs, the TypeScript output carries the tables of the cryptography and state-machine files, so that a runtime takes its labels, limits and transitions from the spec rather than copying them:\n\n';
    b += bullets([
      ...(spec.crypto ? [`${code('crypto.ts')}: ${code('SUITES')} and ${code('GROUPS')} with ${code('suiteByValue')} / ${code('groupByValue')}, the constants (${code('INITIAL_SALT')}, ${code('REPLAY_WINDOW')}, …), the key schedule as data (${code('SCHEDULE')}, ${code('LABELS')}, ${code('LENGTHS')}) and ${code('protocolName(pattern, noiseDh, noiseCipher)')} (${link('Cryptography', 'crypto.md')}).`] : []),
      ...spec.machines.map((f) => `${code(`machine-${f.id.replace(/_/g, '-')}.ts`)}: for each machine ${f.machines.map((m) => code(m.id)).join(', ')} the unions of its states, events, guards and actions, its initial and terminal states, its ${code('on_invalid')} rule, the transition table as frozen data, and a lookup such as ${code(`${camel(f.machines[0].id)}Transition(state, event, guard?)`)} that returns the next state, the actions and the error, or undefined when the table has no row (${link(inline(f.title), `machines-${f.id.replace(/_/g, '-')}.md`)}).`),
    ]);
  }
  b += `\nTo check a codec in another language, give it an adapter and run the ${link('conformance suite', 'conformance.md')}.\n`;
  return { file: 'codegen.md', title: 'Generating a codec', body: b, sources: modules };
}

export function requirementsPage(ctx: DocsCtx, citations: Citations): Page {
  const spec = ctx.spec;
  const missing = spec.requirements.filter((r) => !ctx.reqHome.has(r.id));
  if (missing.length) throw new Error(`emit-docs: requirements not rendered on any page: ${missing.map((r) => r.id).join(', ')}`);
  const cited = spec.requirements.filter((r) => citations.byReq.get(r.id)!.length > 0);
  const pct = spec.requirements.length ? Math.round((100 * cited.length) / spec.requirements.length) : 100;
  let b = heading(1, undefined, 'Requirements index') + '\n';
  b += `Every requirement of the spec, where it is defined, and which files of ${CITATION_DIRS.map((d) => code(d + '/')).join(' and ')} cite its id (a test or vector that checks a requirement names it, as duvet does for RFC text).\n\n`;
  b += `**Coverage: ${cited.length} of ${spec.requirements.length} requirements cited (${pct}%).**\n\n`;
  b += table(['Spec file', 'Requirements', 'Cited', 'MUST / MUST NOT', 'SHOULD / SHOULD NOT / MAY'], spec.files.map((f) => {
    const rs = spec.requirements.filter((r) => r.file === f.path);
    const c = rs.filter((r) => citations.byReq.get(r.id)!.length > 0).length;
    const must = rs.filter((r) => r.level.startsWith('MUST')).length;
    return [link(code(f.path), filePage(f)), String(rs.length), String(c), String(must), String(rs.length - must)];
  }));
  b += '\n' + heading(2, 'all', 'All requirements') + '\n';
  b += table(['Requirement', 'Level', 'Defined in', 'Text', 'Cited by'], spec.requirements.map((r) => {
    const home = ctx.reqHome.get(r.id)!;
    const by = citations.byReq.get(r.id)!;
    return [
      link(code(r.id), `${home.page}#${reqAnchor(r.id)}`), r.level, `${link(cell(inline(home.element)), home.page)} (${code(r.file)})`,
      cell(inline(r.text)), by.length ? by.map((p) => code(p)).join(', ') : '**not cited**',
    ];
  }));
  const uncited = spec.requirements.filter((r) => citations.byReq.get(r.id)!.length === 0);
  if (uncited.length) {
    b += '\n' + heading(2, 'uncited', 'Not yet cited') + '\n';
    b += `${uncited.length} requirement${uncited.length > 1 ? 's have' : ' has'} no test or vector naming ${uncited.length > 1 ? 'them' : 'it'} yet: ${uncited.map((r) => link(code(r.id), `${ctx.reqHome.get(r.id)!.page}#${reqAnchor(r.id)}`)).join(', ')}.\n`;
  }
  b += `\nA file cites a requirement when it contains the id as a whole word; cite one by naming its id in a test's title or comment.\n`;
  return { file: 'requirements.md', title: 'Requirements index', body: b, sources: spec.files };
}
