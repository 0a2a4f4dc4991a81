/** The Markdown subset renderer of the site (src/docs/markdown.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderInline, renderMarkdown, slug } from '../../src/docs/markdown.ts';

test('headings take their id from a leading anchor, or a slug', () => {
  const r = renderMarkdown('# Title\n\n### <a id="stream"></a>STREAM Frame (0x08..0x0f)\n');
  assert.ok(r.html.includes('<h1 id="title">Title</h1>'));
  assert.ok(r.html.includes('<h3 id="stream">STREAM Frame (0x08..0x0f)</h3>'));
  assert.equal(r.headings.map((h) => [h.level, h.id]), [[1, 'title'], [3, 'stream']]);
  assert.equal(r.ids, ['title', 'stream']);
  assert.is(slug('The `frame` union'), 'the-frame-union');
});

test('tables: escaped pipes stay in their cell, also inside code', () => {
  const r = renderMarkdown('| a | b |\n| --- | --- |\n| `x \\| y` | 1 \\| 2 |\n');
  assert.ok(r.html.includes('<td><code>x | y</code></td><td>1 | 2</td>'), r.html);
  assert.ok(r.html.includes('<th>a</th><th>b</th>'));
});

test('links are rewritten; code spans, bold, escapes and entities', () => {
  const href = (t: string) => t.replace(/\.md/, '.html');
  assert.is(renderInline('see [`frames`](frames.md#stream)', { href }), 'see <a href="frames.html#stream"><code>frames</code></a>');
  assert.is(renderInline('**MUST** `a<b` \\[x\\] &lt;id&gt; & more'), '<strong>MUST</strong> <code>a&lt;b</code> [x] &lt;id&gt; &amp; more');
  assert.is(renderInline('`` a`b ``'), '<code>a`b</code>');
});

test('images: ![alt](src) becomes an img with the mapped src and the alt text escaped', () => {
  const href = (t: string) => `site/${t}`;
  assert.is(renderInline('![State diagram of <client>](diagrams/a.svg)', { href }), '<img src="site/diagrams/a.svg" alt="State diagram of &lt;client&gt;">');
  assert.is(renderInline('a ! [b](c.md)'), 'a ! <a href="c.md">b</a>');
  const r = renderMarkdown('![Diagram](d.svg)\n');
  assert.is(r.html, '<p><img src="d.svg" alt="Diagram"></p>\n');
});

test('raw HTML other than the anchor is escaped, never passed through', () => {
  const r = renderMarkdown('<script>alert(1)</script> and <a id="ok"></a>anchor and <a href="x">no</a>\n');
  assert.not.ok(r.html.includes('<script>'));
  assert.ok(r.html.includes('&lt;script&gt;'));
  assert.ok(r.html.includes('<a id="ok"></a>anchor'));
  assert.ok(r.html.includes('&lt;a href=&quot;x&quot;&gt;'));
  assert.equal(r.ids, ['ok']);
});

test('fenced code, lists, paragraphs and comments', () => {
  const md = '<!--\n  GENERATED\n-->\n\nPara one\ncontinues.\n\n```sh\nnpx jsp <x> && y\n```\n\n- one\n- two `c`\n\n1. first\n2. second\n';
  const r = renderMarkdown(md);
  assert.ok(r.html.startsWith('<!--\n  GENERATED\n-->\n'));
  assert.ok(r.html.includes('<p>Para one continues.</p>'));
  assert.ok(r.html.includes('<pre><code class="language-sh">npx jsp &lt;x&gt; &amp;&amp; y</code></pre>'));
  assert.ok(r.html.includes('<ul>\n<li>one</li>\n<li>two <code>c</code></li>\n</ul>'));
  assert.ok(r.html.includes('<ol>\n<li>first</li>\n<li>second</li>\n</ol>'));
});

test.run();
