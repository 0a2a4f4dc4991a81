/**
 * The rendered spec in a real browser: Debian's headless Chromium loads the index and a layout
 * page of a freshly built site, with no console message (the pages carry no script, so any
 * message is an error), and takes screenshots that are checked pixel by pixel: the right size,
 * the sidebar painted by the stylesheet, text in the main column, and the layout diagram drawn.
 * The state-machine page is loaded through the DevTools protocol: no console message, no failed
 * load, and every SVG diagram decoded and laid out with a non-zero size.
 *
 * Chromium is required: `.ci/run` installs it when /usr/bin/chromium is missing; locally run
 * `apt-get update && apt-get install -y chromium`. Without it this test fails — it is never skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildSite } from '../../src/docs/site.ts';
import { DevTools } from './devtools.ts';

const CHROMIUM = '/usr/bin/chromium';
const WIDTH = 1200;
const HEIGHT = 900;

const work = mkdtempSync(join(tmpdir(), 'jsp-browser-'));
const site = join(work, 'site');
await buildSite({ out: site, api: false });

interface Run { status: number | null; stdout: string; stderr: string; ms: number }

/** One headless Chromium run with a fresh profile. */
function chromium(args: string[], url: string): Run {
  const profile = mkdtempSync(join(work, 'profile-'));
  const started = performance.now();
  const r = spawnSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', ...args, url,
  ], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  rmSync(profile, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`, ms: performance.now() - started };
}

/** Console messages and failed loads Chromium logged for the page (its own D-Bus and GPU noise aside). */
function pageProblems(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /CONSOLE|Failed to load|Page load failed|ERR_[A-Z_]+|Uncaught/.test(l));
}

interface Png { width: number; height: number; pixel: (x: number, y: number) => [number, number, number] }

/** A minimal PNG reader for Chromium's screenshots: 8-bit RGB or RGBA, not interlaced. */
function readPng(bytes: Buffer): Png {
  assert.equal([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  let pos = 8;
  let width = 0, height = 0, colorType = 0, bitDepth = 0, interlace = 0;
  const idat: Buffer[] = [];
  while (pos < bytes.length) {
    const len = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      bitDepth = data[8]; colorType = data[9]; interlace = data[12];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  assert.is(bitDepth, 8, 'bit depth');
  assert.is(interlace, 0, 'interlace');
  const bpp = { 2: 3, 6: 4 }[colorType as 2 | 6];
  assert.ok(bpp, `color type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp!;
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = px.subarray(y * stride, (y + 1) * stride);
    const prev = y ? px.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp! ? out[i - bpp!] : 0;
      const b = prev[i];
      const c = i >= bpp! ? prev[i - bpp!] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[i] = v & 0xff;
    }
  }
  return { width, height, pixel: (x, y) => { const o = y * stride + x * bpp!; return [px[o], px[o + 1], px[o + 2]]; } };
}

const near = (p: number[], q: number[]) => p.every((v, i) => Math.abs(v - q[i]) <= 3);
/** Pixels of a colour (or darker than a level) in a rectangle. */
function count(png: Png, x0: number, y0: number, x1: number, y1: number, match: (p: [number, number, number]) => boolean): number {
  let n = 0;
  for (let y = y0; y < y1; y += 2) for (let x = x0; x < x1; x += 2) if (match(png.pixel(x, y))) n++;
  return n;
}

const SIDEBAR = [0xf6, 0xf8, 0xfa];

/** Headless screenshots of a URL with a #fragment come out blank, so tall windows are used instead. */
function screenshot(page: string, height: number, name: string): { png: Png; run: Run } {
  const shot = join(work, `${name}.png`);
  const run = chromium([`--screenshot=${shot}`, `--window-size=${WIDTH},${height}`, '--hide-scrollbars'], pathToFileURL(join(site, page)).href);
  assert.is(run.status, 0, `chromium exited ${run.status}:\n${run.stderr}`);
  assert.ok(existsSync(shot), `no screenshot written:\n${run.stderr}`);
  assert.ok(statSync(shot).size > 1000, 'screenshot is not empty');
  return { png: readPng(readFileSync(shot)), run };
}

test('Chromium is installed (.ci/run installs it; locally: apt-get update && apt-get install -y chromium)', () => {
  if (!existsSync(CHROMIUM)) {
    const msg = `\n${'!'.repeat(78)}\n  ${CHROMIUM} is missing: the docs browser test cannot run.\n` +
      `  Install it with: apt-get update && apt-get install -y chromium\n` +
      `  (.ci/run does this in CI${process.env.CI === 'true' ? ' — this CI run did not' : ''}).\n${'!'.repeat(78)}`;
    console.error(msg);
    assert.unreachable(msg);
  }
});

test('the index loads with no console message and renders: size, sidebar style, text', () => {
  const { png, run } = screenshot('index.html', HEIGHT, 'index');
  assert.equal(pageProblems(run.stderr), [], 'console messages or failed loads');
  assert.is(png.width, WIDTH);
  assert.is(png.height, HEIGHT);
  // The stylesheet paints the sidebar (left, 17rem wide) in its own colour, down to the bottom.
  assert.ok(near(png.pixel(20, HEIGHT - 20), SIDEBAR), `sidebar colour ${png.pixel(20, HEIGHT - 20)}`);
  assert.ok(near(png.pixel(250, HEIGHT - 20), SIDEBAR));
  // Dark text in the main column.
  const dark = count(png, 320, 0, WIDTH - 20, HEIGHT, ([r, g, b]) => r + g + b < 200);
  assert.ok(dark > 2000, `only ${dark} dark pixels in the main column`);
});

test('a layout page draws its diagrams: boxes with non-zero size in the main column', () => {
  const { png, run } = screenshot('frames.html', 3 * HEIGHT, 'frames');
  assert.equal(pageProblems(run.stderr), [], 'console messages or failed loads');
  assert.is(png.width, WIDTH);
  assert.is(png.height, 3 * HEIGHT);
  // Code blocks share the sidebar's background colour; in the main column they are the layout
  // listings and box diagrams: count the pixel rows mostly painted by one (table headers hold
  // more text and do not qualify).
  let rows = 0;
  for (let y = 0; y < png.height; y++) if (count(png, 330, y, 1140, y + 1, (p) => near(p, SIDEBAR)) > 0.8 * (1140 - 330) / 2) rows++;
  assert.ok(rows > 150, `diagram rows: ${rows}`);
});

test('the handshake machine page (DevTools protocol): no console message, every diagram loaded with a non-zero size', async () => {
  const browser = DevTools.launch(CHROMIUM, ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', `--user-data-dir=${mkdtempSync(join(work, 'profile-'))}`, `--window-size=${WIDTH},${HEIGHT}`]);
  const problems: string[] = [];
  try {
    const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
    browser.onEvent((m) => {
      if (m.sessionId !== sessionId) return;
      if (m.method === 'Runtime.consoleAPICalled') problems.push(`console.${m.params.type}: ${JSON.stringify(m.params.args.map((a: any) => a.value))}`);
      if (m.method === 'Runtime.exceptionThrown') problems.push(`exception: ${m.params.exceptionDetails.text}`);
      if (m.method === 'Log.entryAdded') problems.push(`${m.params.entry.level}: ${m.params.entry.text} ${m.params.entry.url ?? ''}`);
      if (m.method === 'Network.loadingFailed') problems.push(`load failed: ${m.params.errorText}`);
    });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await browser.send(`${domain}.enable`, {}, sessionId);
    const loaded = browser.waitFor('Page.loadEventFired', sessionId);
    await browser.send('Page.navigate', { url: pathToFileURL(join(site, 'machines-handshake.html')).href }, sessionId);
    await loaded;
    const { result } = await browser.send('Runtime.evaluate', {
      expression: `JSON.stringify([...document.querySelectorAll('main img')].map((i) => {
        const r = i.getBoundingClientRect();
        return { src: i.getAttribute('src'), complete: i.complete, natural: [i.naturalWidth, i.naturalHeight], rect: [r.x, r.y, r.width, r.height] };
      }))`,
      returnByValue: true,
    }, sessionId);
    const imgs = JSON.parse(result.value) as Array<{ src: string; complete: boolean; natural: number[]; rect: number[] }>;
    assert.equal(imgs.map((i) => i.src), ['diagrams/handshake-client.svg', 'diagrams/handshake-server.svg']);
    for (const i of imgs) {
      assert.ok(i.complete && i.natural[0] > 0 && i.natural[1] > 0, `${i.src} decoded: ${JSON.stringify(i)}`);
      assert.ok(i.rect[2] > 200 && i.rect[3] > 200, `${i.src} laid out at ${i.rect[2]}×${i.rect[3]}`);
      assert.ok(i.rect[2] <= WIDTH, `${i.src} fits the window`);
    }
  } finally {
    await browser.close();
  }
  assert.equal(problems, [], 'console messages or failed loads');
});

test('the DOM of the index holds the title, the navigation and the API link', () => {
  const run = chromium(['--dump-dom'], pathToFileURL(join(site, 'index.html')).href);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /<title>Overview — JetStreamProto<\/title>/);
  assert.match(run.stdout, /<h1 id="[^"]+">JetStreamProto v1 overview<\/h1>/);
  assert.match(run.stdout, /<nav class="sidebar"/);
  assert.match(run.stdout, /href="frames.html"/);
  assert.match(run.stdout, /href="api\/index.html"/);
  assert.equal(pageProblems(run.stderr), []);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
