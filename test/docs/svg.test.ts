/**
 * The SVG diagrams of the rendered spec (codegen/emit-docs-diagrams.ts): the committed ones in
 * docs/spec/diagrams/ and those of a freshly built site are well-formed XML with an `<svg>` root
 * of non-zero width and height; they are rendered deterministically (twice → the same bytes) and
 * the committed files are exactly what the generator makes now; every state of every machine and
 * every step of the key schedule is drawn.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSpec, ROOT } from '../../codegen/load.ts';
import { DOCS_DIR } from '../../codegen/emit-docs.ts';
import { docDiagrams, machineDiagram, SCHEDULE_DIAGRAM } from '../../codegen/emit-docs-diagrams.ts';
import { buildSite } from '../../src/docs/site.ts';
import { checkXml, svgLength } from './xml.ts';

const spec = loadSpec();
const site = mkdtempSync(join(tmpdir(), 'jsp-svg-site-'));
await buildSite({ out: site, api: false });

function svgFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...svgFiles(p));
    else if (name.endsWith('.svg')) out.push(p);
  }
  return out;
}

/** Checks one SVG file; returns its root's width and height. */
function checkSvg(path: string): { width: number; height: number } {
  const root = checkXml(readFileSync(path, 'utf8'));
  assert.is(root.name, 'svg', `${path}: root element`);
  assert.is(root.attrs.get('xmlns'), 'http://www.w3.org/2000/svg', `${path}: SVG namespace`);
  const width = svgLength(root.attrs.get('width'));
  const height = svgLength(root.attrs.get('height'));
  assert.ok(width > 0 && height > 0, `${path}: width ${root.attrs.get('width')}, height ${root.attrs.get('height')}`);
  const viewBox = (root.attrs.get('viewBox') ?? '').split(/\s+/).map(Number);
  assert.ok(viewBox.length === 4 && viewBox[2] > 0 && viewBox[3] > 0, `${path}: viewBox`);
  return { width, height };
}

test('the XML check rejects what is not well-formed', () => {
  for (const bad of ['<a><b></a></b>', '<a x="1" x="2"/>', '<a>&nbsp;</a>', '<a/><b/>', '<a>', 'text<a/>', '<a><!-- x -- y --></a>', '<a b=1/>', '']) {
    assert.throws(() => checkXml(bad), undefined, bad);
  }
  assert.is(checkXml('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "a" "b">\n<!-- c -->\n<svg a="&amp;"><g/>t &lt; <![CDATA[<x>]]></svg>\n').name, 'svg');
});

test('every SVG under docs/spec is well-formed with an <svg> root of non-zero size', () => {
  const files = svgFiles(join(ROOT, DOCS_DIR));
  assert.ok(files.length >= 3, `${files.length} SVG files in ${DOCS_DIR}`);
  for (const f of files) checkSvg(f);
});

test('every SVG of the built site is well-formed with an <svg> root of non-zero size', () => {
  const files = svgFiles(site);
  assert.ok(files.length >= 3, `${files.length} SVG files in the site`);
  for (const f of files) checkSvg(f);
  // The site carries the same diagrams as docs/spec, at the same relative paths.
  assert.equal(files.map((f) => relative(site, f)), svgFiles(join(ROOT, DOCS_DIR)).map((f) => relative(join(ROOT, DOCS_DIR), f)));
});

test('diagrams are deterministic, and the committed ones are what the generator makes now', async () => {
  const a = await docDiagrams(spec);
  const b = await docDiagrams(spec);
  assert.equal(a.map((d) => d.content), b.map((d) => d.content), 'two renders differ');
  const dir = join(ROOT, DOCS_DIR, 'diagrams');
  assert.equal(readdirSync(dir).sort(), a.map((d) => d.path.replace('diagrams/', '')).sort(), 'stray or missing diagrams');
  for (const d of a) {
    assert.ok(readFileSync(join(ROOT, DOCS_DIR, d.path), 'utf8') === d.content, `${DOCS_DIR}/${d.path} is stale (npm run codegen)`);
    assert.ok(d.content.includes('GENERATED from spec/'), `${d.path}: header naming its source`);
  }
});

test('each machine diagram draws every state and the transitions between them; the schedule draws every step', () => {
  const titles = (svg: string) => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1].replace(/&#45;/g, '-').replace(/&gt;/g, '>'));
  for (const f of spec.machines) {
    for (const m of f.machines) {
      const t = titles(readFileSync(join(ROOT, DOCS_DIR, machineDiagram(f, m.id)), 'utf8'));
      for (const s of m.states) assert.ok(t.includes(s.id), `${m.id}: state ${s.id}`);
      for (const tr of m.transitions) assert.ok(t.includes(`${tr.state}->${tr.next}`), `${m.id}: arrow ${tr.state} -> ${tr.next}`);
    }
  }
  if (spec.crypto) {
    const t = titles(readFileSync(join(ROOT, DOCS_DIR, SCHEDULE_DIAGRAM), 'utf8'));
    for (const s of spec.crypto.schedule) assert.ok(t.includes(s.id), `schedule step ${s.id}`);
  }
});

test('the pages embed the diagrams, on GitHub (Markdown) and on the site (img)', () => {
  for (const f of spec.machines) {
    const page = `machines-${f.id.replace(/_/g, '-')}`;
    const md = readFileSync(join(ROOT, DOCS_DIR, `${page}.md`), 'utf8');
    const html = readFileSync(join(site, `${page}.html`), 'utf8');
    for (const m of f.machines) {
      assert.ok(md.includes(`](${machineDiagram(f, m.id)})`), `${page}.md embeds ${m.id}`);
      assert.ok(html.includes(`<img src="${machineDiagram(f, m.id)}"`), `${page}.html embeds ${m.id}`);
      assert.ok(existsSync(join(site, machineDiagram(f, m.id))));
    }
  }
  assert.ok(readFileSync(join(site, 'crypto.html'), 'utf8').includes(`<img src="${SCHEDULE_DIAGRAM}"`));
});

test.after(() => rmSync(site, { recursive: true, force: true }));
test.run();
