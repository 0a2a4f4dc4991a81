/**
 * The rendered spec site (src/docs/site.ts), built into a temporary directory without the API
 * reference: every page exists, every internal link and anchor resolves, and every element of
 * the spec — frames, packets, structs, fields, bits, flags, messages, enums, constants, error
 * codes, suites, groups, key-schedule steps, state machines, requirements — appears on its page
 * with its diagram or table.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec, ROOT } from '../../codegen/load.ts';
import { docPages, DOCS_DIR } from '../../codegen/emit-docs.ts';
import { readVectors } from '../../codegen/emit-docs-sources.ts';
import { pascal } from '../../codegen/naming.ts';
import { buildSite, htmlName } from '../../src/docs/site.ts';
import { docsCommand } from '../../src/cli/docs.ts';

const spec = loadSpec();
const out = mkdtempSync(join(tmpdir(), 'jsp-site-'));
const started = performance.now();
const result = await buildSite({ out, api: false });
const buildMs = performance.now() - started;
const html = new Map(result.pages.map((p) => [p, readFileSync(join(out, p), 'utf8')]));

const page = (name: string) => {
  const h = html.get(name);
  if (h === undefined) throw new Error(`no page ${name}`);
  return h;
};
const ids = (h: string) => [...h.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
/** The HTML of one section: from the element with this id to the next heading of the same or a higher level. */
function section(h: string, id: string): string {
  const at = h.search(new RegExp(`<h([1-6]) id="${id.replace(/[.]/g, '\\.')}"`));
  if (at < 0) throw new Error(`no section #${id}`);
  const level = Number(h[at + 2]);
  const rest = h.slice(at + 1);
  const next = rest.search(new RegExp(`<h[1-${level}][ >]`));
  return next < 0 ? rest : rest.slice(0, next);
}
const hasCode = (h: string, s: string) => h.includes(`<code>${s}</code>`);

test('the site builds quickly, without the API reference, into the directory given', () => {
  assert.ok(buildMs < 60_000, `site build took ${buildMs} ms`);
  assert.ok(existsSync(join(out, 'index.html')));
  assert.ok(existsSync(join(out, 'style.css')));
  assert.ok(existsSync(join(out, 'api/index.html')), 'the API stub keeps the sidebar link valid');
  assert.is(result.api.built, false);
});

test('there is a page for every spec file, the registries, conformance, codegen and the requirements', () => {
  const expected = ['index.html', 'transport-parameters.html', 'constants.html', 'errors.html', 'conformance.html', 'codegen.html', 'requirements.html'];
  for (const f of [...spec.wire, ...spec.messages]) expected.push(`${f.id}.html`);
  for (const p of spec.protocol) expected.push(p.id === 'protocol' ? 'index.html' : `${p.id}.html`);
  if (spec.crypto) expected.push('crypto.html');
  for (const f of spec.machines) expected.push(`machines-${f.id.replace(/_/g, '-')}.html`);
  assert.ok(spec.crypto && spec.machines.length, 'the spec has a crypto file and machine files');
  for (const e of expected) assert.ok(html.has(e), `missing page ${e}`);
  assert.equal(result.pages.length, docPages(spec).length);
});

test('every internal link and anchor resolves; nothing links outside the site', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const [name, h] of html) {
    for (const m of h.matchAll(/(?:href|src)="([^"]*)"/g)) {
      const href = m[1].replace(/&amp;/g, '&');
      if (href.startsWith('data:')) continue;
      if (/^[a-z]+:/.test(href)) { broken.push(`${name}: external link ${href}`); continue; }
      const [path, frag] = href.split('#', 2);
      const target = path ? normalize(join(dirname(name), path)) : name;
      checked++;
      if (target.startsWith('..') || !existsSync(join(out, target))) { broken.push(`${name}: ${href} (no file ${target})`); continue; }
      if (frag !== undefined && target.endsWith('.html')) {
        const th = html.get(target) ?? readFileSync(join(out, target), 'utf8');
        if (!ids(th).includes(frag)) broken.push(`${name}: ${href} (no #${frag} in ${target})`);
      }
    }
  }
  assert.ok(checked > 300, `only ${checked} links checked`);
  assert.equal(broken.slice(0, 20), [], `${broken.length} broken links`);
});

test('no page defines an id twice', () => {
  for (const [name, h] of html) {
    const seen = new Set<string>();
    for (const id of ids(h)) {
      assert.not.ok(seen.has(id), `${name}: id ${id} twice`);
      seen.add(id);
    }
  }
});

test('every packet, frame and struct has its layout, box diagram, field table, rules and vectors', () => {
  for (const file of spec.wire) {
    const h = page(`${file.id}.html`);
    for (const s of file.structs) {
      const sec = section(h, s.id);
      const pres = sec.match(/<pre>/g) ?? [];
      assert.ok(pres.length >= 2, `${s.id}: listing and box diagram`);
      assert.ok(sec.includes(' 0 1 2 3 4 5 6 7 8 9 0 1'), `${s.id}: the 32-bit ruler`);
      assert.ok(sec.includes('<table>'), `${s.id}: field table`);
      assert.ok(sec.includes('Encoding rules'), `${s.id}: encoding rules`);
      assert.match(sec, /Vectors: <strong>\d+ valid, \d+ invalid<\/strong>/, `${s.id}: vectors`);
      for (const f of s.fields) {
        assert.ok(hasCode(sec, f.id), `${s.id}.${f.id} in the field table`);
        if (f.kind === 'bits') for (const b of f.bits) assert.ok(hasCode(sec, b.id), `${s.id}: bit field ${b.id}`);
      }
      for (const fl of s.flags) assert.ok(hasCode(sec, fl.id), `${s.id}: flag ${fl.id}`);
      for (const c of s.constraints) assert.ok(sec.includes(c.text.replace(/</g, '&lt;').replace(/>/g, '&gt;')), `${s.id}: constraint ${c.text}`);
      for (const p of s.params) assert.ok(hasCode(sec, p.id), `${s.id}: parameter ${p.id}`);
    }
    for (const e of file.enums) {
      const sec = section(h, `enum-${e.id}`);
      for (const v of e.values) assert.ok(hasCode(sec, v.id), `${e.id}.${v.id}`);
    }
  }
});

test('every message has its field-number table, its .proto definition, rules and vectors', () => {
  for (const file of spec.messages) {
    const h = page(`${file.id}.html`);
    for (const m of file.messages) {
      const sec = section(h, m.id);
      assert.ok(sec.includes(`message ${pascal(m.id)} {`), `${m.id}: .proto snippet`);
      for (const f of m.fields) {
        assert.ok(hasCode(sec, f.id), `${m.id}.${f.id} in the table`);
        assert.ok(sec.includes(`<td>${f.number}</td>`), `${m.id}.${f.id}: field number`);
        assert.ok(sec.includes(` = ${f.number};`), `${m.id}.${f.id} in the .proto`);
      }
      assert.match(sec, /Vectors: <strong>\d+ valid, \d+ invalid<\/strong>/, `${m.id}: vectors`);
    }
    for (const e of file.enums) for (const v of e.values) assert.ok(hasCode(section(h, `enum-${e.id}`), v.id), `${e.id}.${v.id}`);
  }
});

test('constants, error codes, decode error kinds and transport parameters are tables with anchors', () => {
  const c = page('constants.html');
  for (const k of spec.constants.constants) {
    assert.ok(ids(c).includes(k.id), `constant ${k.id}`);
    const row = c.slice(c.indexOf(`id="${k.id}"`)).split('</tr>')[0];
    assert.ok(row.includes(k.unit === 'version' ? `0x${k.value.toString(16).padStart(2, '0')}` : k.value.toString()), `value of ${k.id}`);
    if (k.unit) assert.ok(row.includes(`<td>${k.unit}</td>`), `unit of ${k.id}`);
  }
  const e = page('errors.html');
  for (const code of spec.errors.codes) {
    assert.ok(ids(e).includes(code.id), `error ${code.id}`);
    const row = e.slice(e.lastIndexOf('<tr>', e.indexOf(`id="${code.id}"`))).split('</tr>')[0];
    assert.ok(row.includes(`0x${code.code.toString(16).padStart(2, '0')}`), `code of ${code.id}`);
  }
  for (const k of spec.errors.decodeErrorKinds) assert.ok(ids(e).includes(`kind-${k.id}`), `kind ${k.id}`);
  const tp = page('transport-parameters.html');
  const msg = spec.messages.flatMap((f) => f.messages).find((m) => m.id === 'transport_parameters')!;
  for (const f of msg.fields) assert.ok(ids(tp).includes(f.id) && tp.includes(`<td>${f.number}</td>`), `parameter ${f.id}`);
});

test('every requirement is rendered once with its text, and the index links to it', () => {
  const text = (h: string) => h.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
  const all = text([...html.values()].join('\n'));
  const index = page('requirements.html');
  for (const r of spec.requirements) {
    const homes = [...html].filter(([, h]) => ids(h).includes(`req-${r.id}`));
    assert.is(homes.length, 1, `${r.id} rendered on ${homes.length} pages`);
    assert.ok(all.includes(r.text.replace(/`/g, '').replace(/\s+/g, ' ')), `text of ${r.id}`);
    assert.ok(index.includes(`href="${homes[0][0]}#req-${r.id}"`), `index links ${r.id}`);
  }
  assert.match(index, /Coverage: \d+ of \d+ requirements cited/);
});

test('the crypto page: suites, groups, protocol names, constants, inputs and every schedule step with its label and length', () => {
  const c = spec.crypto!;
  const h = page('crypto.html');
  const s = section(h, 'suites');
  for (const x of c.suites) {
    assert.ok(ids(h).includes(`suite-${x.id}`), `suite ${x.id}`);
    assert.ok(hasCode(s, x.noiseCipher) && s.includes(x.aead), `suite ${x.id} row`);
  }
  const g = section(h, 'groups');
  for (const x of c.groups) {
    assert.ok(ids(h).includes(`group-${x.id}`), `group ${x.id}`);
    assert.ok(hasCode(g, x.serverAuthPattern) && hasCode(g, x.mutualAuthPattern), `group ${x.id}: patterns`);
  }
  assert.ok(hasCode(section(h, 'protocol-name'), c.protocolName.example), 'the example protocol name is in the table');
  for (const k of c.constants) assert.ok(ids(h).includes(`constant-${k.id}`), `constant ${k.id}`);
  for (const i of c.inputs) assert.ok(ids(h).includes(`input-${i.id}`), `input ${i.id}`);
  const steps = section(h, 'steps');
  for (const x of c.schedule) {
    const row = steps.slice(steps.indexOf(`id="step-${x.id}"`)).split('</tr>')[0];
    assert.ok(row.includes(`<td>${x.op}</td>`) && row.includes(`<td>${x.length}</td>`), `step ${x.id}: op and length`);
    if (x.op === 'expand_label') assert.ok(hasCode(row, `${c.expandLabel.prefix}${x.label}`), `step ${x.id}: label`);
  }
  for (const sub of ['nonce', 'header-protection', 'key-update', 'limits']) assert.ok(ids(h).includes(sub), `packet protection: ${sub}`);
});

test('each machine page: its diagram, every transition row, the on_invalid rule and every state, event, guard and action', () => {
  for (const f of spec.machines) {
    const h = page(`machines-${f.id.replace(/_/g, '-')}.html`);
    for (const m of f.machines) {
      const sec = section(h, m.id);
      assert.ok(sec.includes('<img src="diagrams/'), `${m.id}: diagram`);
      const rows = section(h, `${m.id}-transitions`).split('<tr>').slice(2);
      assert.is(rows.length, m.transitions.length, `${m.id}: one table row per transition`);
      m.transitions.forEach((t, i) => {
        for (const x of [t.state, t.event, t.next, ...(t.guard ? [t.guard] : []), ...t.actions, ...(t.error ? [t.error] : [])]) {
          assert.ok(hasCode(rows[i], x), `${m.id} row ${i}: ${x}`);
        }
      });
      assert.ok(hasCode(section(h, `${m.id}-on-invalid`), m.onInvalid.error), `${m.id}: on_invalid error`);
      for (const s of m.states) assert.ok(ids(h).includes(`${m.id}-state-${s.id}`), `${m.id}: state ${s.id}`);
      for (const e of m.events) assert.ok(ids(h).includes(`${m.id}-event-${e.id}`), `${m.id}: event ${e.id}`);
      for (const g of m.guards) assert.ok(ids(h).includes(`${m.id}-guard-${g.id}`), `${m.id}: guard ${g.id}`);
      for (const a of m.actions) assert.ok(ids(h).includes(`${m.id}-action-${a.id}`), `${m.id}: action ${a.id}`);
    }
  }
  const index = page('index.html');
  assert.ok(index.includes('href="crypto.html"') && index.includes('href="machines-handshake.html"'), 'the overview links the new pages');
});

test('the sections of every prose file appear with their titles', () => {
  for (const p of spec.protocol) {
    const h = page(p.id === 'protocol' ? 'index.html' : `${p.id}.html`);
    for (const s of p.sections) assert.ok(ids(h).includes(s.id), `${p.id}#${s.id}`);
  }
  assert.match(page('index.html'), /<h1 id="[^"]*">JetStreamProto/);
});

test('vector counts cover every case and every group maps to a spec element', () => {
  const elements = new Set<string>([...spec.wire.flatMap((w) => [...w.structs.map((s) => s.id), ...(w.union ? [`union:${w.union.id}`] : [])]), ...spec.messages.flatMap((m) => m.messages.map((x) => x.id))]);
  const vectors = readVectors(spec);
  assert.ok(vectors.length >= 3);
  for (const v of vectors) {
    let sum = 0;
    for (const [target, t] of v.targets) {
      assert.ok(elements.has(target), `${v.path}: group for unknown target ${target}`);
      sum += t.valid + t.invalid;
    }
    assert.is(sum, v.numberOfTests, v.path);
    assert.is(v.valid + v.invalid, v.numberOfTests, v.path);
  }
});

test('pages link the stylesheet and the API reference and carry no script', () => {
  for (const [name, h] of html) {
    assert.ok(h.includes('<link rel="stylesheet" href="style.css">'), name);
    assert.ok(h.includes('href="api/index.html"'), name);
    assert.not.ok(/<script/i.test(h), name);
  }
});

test('the committed docs/spec is exactly what the emitter generates, and nothing else', () => {
  const pages = docPages(spec);
  const dir = join(ROOT, DOCS_DIR);
  // diagrams/ is checked file by file in svg.test.ts.
  assert.equal(readdirSync(dir).filter((n) => n !== 'diagrams').sort(), pages.map((p) => p.file).sort(), 'stray or missing files in docs/spec');
  for (const p of pages) assert.ok(readFileSync(join(dir, p.file), 'utf8') === p.markdown, `${DOCS_DIR}/${p.file} is stale (npm run codegen)`);
  assert.equal(docPages(spec).map((p) => p.markdown), pages.map((p) => p.markdown), 'deterministic');
  for (const p of pages) assert.ok(p.markdown.startsWith('<!--\n  GENERATED from spec/'), `${p.file} header`);
  assert.is(htmlName('README.md'), 'index.html');
});

test('jsp docs: --out DIR --no-api builds the site; a bad argument is exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jsp-docs-cli-'));
  const log = console.log;
  const err = console.error;
  const lines: string[] = [];
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    assert.is(await docsCommand(['--out', dir, '--no-api']), 0);
    assert.is(await docsCommand(['--bogus']), 2);
    assert.is(await docsCommand(['--out']), 2);
  } finally {
    console.log = log;
    console.error = err;
  }
  assert.ok(existsSync(join(dir, 'index.html')));
  assert.ok(existsSync(join(dir, 'frames.html')));
  assert.ok(lines.some((l) => l.includes("unknown argument '--bogus'")), lines.join('\n'));
  // A rebuild into the same directory is fine; a directory the builder did not write is refused.
  assert.is(await quiet(() => docsCommand(['--out', dir, '--no-api'])), 0);
  const mine = mkdtempSync(join(tmpdir(), 'jsp-docs-user-'));
  writeFileSync(join(mine, 'precious.txt'), 'keep me');
  assert.is(await quiet(() => docsCommand(['--out', mine, '--no-api'])), 1);
  assert.is(readFileSync(join(mine, 'precious.txt'), 'utf8'), 'keep me');
  rmSync(mine, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** Runs with console output swallowed. */
async function quiet<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  const err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
    console.error = err;
  }
}

test.after(() => rmSync(out, { recursive: true, force: true }));

test.run();
