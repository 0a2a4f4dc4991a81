/**
 * Emits the rendered specification, `docs/spec/*.md`: Markdown that reads on a forge, and
 * that `npm run docs` (src/docs/) turns into the HTML site.
 *
 * The pages are a pure function of committed inputs — the spec IR, the codec vectors and the
 * requirement ids cited in `test/` and `conformance/` — with nothing that varies between runs
 * (no dates, sorted directory listings), so `npm run codegen -- --check` can hold them to the
 * spec. Each page starts with an HTML comment naming its sources and their hashes.
 *
 * Pages, in navigation order: the overview (`README.md`, from spec/protocol.yaml), one page per
 * wire and messages file, transport parameters, cryptography (`crypto.md`), one page per machine
 * file (`machines-<id>.md`), constants, error codes, each other prose file (the conformance
 * adapter protocol, with the vectors), generating a codec, and the requirements index.
 *
 * The pages embed SVG diagrams (the state machines, the key schedule) from `diagrams/`; those are
 * rendered by Graphviz at build time (`emit-docs-diagrams.ts`, asynchronous) and committed beside
 * the Markdown.
 */
import type { Emitter, GeneratedFile } from './emit.ts';
import type { ProtocolFile, Spec } from './ir.ts';
import { DOCS_DIR, docsHeader, heading, inline, prose, reqList, type DocsCtx, type Page } from './emit-docs-md.ts';
import { findCitations, readMachineVectors, readVectors } from './emit-docs-sources.ts';
import { wirePage } from './emit-docs-wire.ts';
import { messagesPage, transportParametersPage } from './emit-docs-messages.ts';
import { constantsPage, errorsPage, filePage, overviewPage, sections } from './emit-docs-tables.ts';
import { codegenPage, conformancePage, requirementsPage } from './emit-docs-guide.ts';
import { cryptoPage } from './emit-docs-crypto.ts';
import { machinePage } from './emit-docs-machines.ts';

export { DOCS_DIR } from './emit-docs-md.ts';

/** A rendered page: its file name in {@link DOCS_DIR}, its navigation title and its Markdown. */
export interface DocPage {
  file: string;
  title: string;
  markdown: string;
}

/** Every page of the rendered spec, in navigation order, reading vectors and tests under `root`. */
export function docPages(spec: Spec, root?: string): DocPage[] {
  const ctx: DocsCtx = { spec, reqHome: new Map() };
  const vectors = readVectors(spec, root);
  const machineVectors = readMachineVectors(root);
  const vectorsOf = (path: string) => vectors.find((v) => v.specFile === path);
  const adapter = spec.protocol.find((p) => p.id === 'conformance');

  // Registries and layouts first: they are the homes of most requirements.
  const wire = [...spec.wire].sort((a, b) => Number(!!a.union) - Number(!!b.union)).map((w) => wirePage(ctx, w, vectorsOf(w.path)));
  const messages = spec.messages.map((m) => messagesPage(ctx, m, vectorsOf(m.path)));
  const tp = spec.messages.map((m) => transportParametersPage(m)).filter((p): p is Page => !!p);
  const crypto = spec.crypto ? [cryptoPage(ctx, spec.crypto)] : [];
  const machines = spec.machines.map((f) => machinePage(ctx, f, machineVectors.find((v) => v.specFile === f.path)));
  const constants = constantsPage(ctx);
  const errors = errorsPage(ctx);
  const conformance = conformancePage(ctx, adapter, vectors, machineVectors);
  const others = spec.protocol.filter((p) => p.id !== 'protocol' && p.id !== 'conformance').map((p) => proseFilePage(ctx, p));
  const codegen = codegenPage(spec);
  const extra = [
    ...tp.map((p) => ({ file: p.file, title: p.title, about: 'the limits and settings each endpoint declares, as a registry.' })),
    { file: conformance.file, title: conformance.title, about: 'run the golden vectors against your implementation through the adapter protocol.' },
    { file: codegen.file, title: codegen.title, about: 'generate a codec for your language from the spec.' },
    { file: 'requirements.md', title: 'Requirements index', about: 'every requirement id, where it is defined, and the tests and vectors that cite it.' },
  ];
  const overview = overviewPage(ctx, extra);
  const requirements = requirementsPage(ctx, findCitations(spec, root));

  const pages = [overview, ...wire, ...messages, ...tp, ...crypto, ...machines, constants, errors, ...others, conformance, codegen, requirements];
  const seen = new Set<string>();
  return pages.map((p) => {
    if (seen.has(p.file)) throw new Error(`emit-docs: two pages named ${p.file}`);
    seen.add(p.file);
    const body = p.body.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
    return { file: p.file, title: p.title, markdown: `${docsHeader(p.sources, p.uses)}\n${body}` };
  });
}

/** A prose-only spec file other than the overview and the adapter protocol: its sections. */
function proseFilePage(ctx: DocsCtx, f: ProtocolFile): Page {
  const page = filePage(f);
  let body = heading(1, undefined, inline(f.title)) + '\n' + prose(f.doc);
  if (f.req.length) body += '\n' + reqList(ctx, page, f.title, f.req);
  return { file: page, title: f.title, body: body + sections(ctx, page, f), sources: [f] };
}

export const emitDocs: Emitter = (spec): GeneratedFile[] =>
  docPages(spec).map((p) => ({ path: `${DOCS_DIR}/${p.file}`, content: p.markdown }));
