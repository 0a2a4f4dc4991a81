/** The site's whole stylesheet: readable text, a sidebar, tables and diagrams that scroll. */
export const STYLE = `:root {
  --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --side: #f6f8fa; --line: #d1d9e0; --link: #0550ae; --code: #eff2f5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; display: flex; min-height: 100vh; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
.sidebar {
  flex: 0 0 17rem; background: var(--side); border-right: 1px solid var(--line); padding: 1rem 1rem 2rem;
  position: sticky; top: 0; align-self: flex-start; height: 100vh; overflow-y: auto; font-size: 0.92rem;
}
.sidebar .brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); }
.sidebar .tagline { margin: 0 0 1rem; color: var(--muted); font-size: 0.85rem; }
.sidebar ul { list-style: none; margin: 0; padding: 0; }
.sidebar li { margin: 0.15rem 0; }
.sidebar li ul { margin: 0.2rem 0 0.5rem 0.8rem; font-size: 0.86rem; }
.sidebar li.current > a { font-weight: 700; color: var(--fg); }
.sidebar .api { margin-top: 1.2rem; padding-top: 0.8rem; border-top: 1px solid var(--line); }
main { flex: 1 1 auto; min-width: 0; max-width: 68rem; padding: 1.5rem 2.5rem 4rem; }
h1 { font-size: 2rem; margin-top: 0; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
h2 { font-size: 1.5rem; margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
h3 { font-size: 1.2rem; margin-top: 2rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em;
  background: var(--code); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--side); border: 1px solid var(--line); border-radius: 6px; padding: 0.8rem 1rem; overflow-x: auto; line-height: 1.25; }
pre code { background: none; padding: 0; font-size: 0.85rem; }
main img { display: block; max-width: 100%; height: auto; margin: 1rem 0; }
.table { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: var(--side); }
tbody tr:nth-child(even) { background: #fafbfc; }
:target { scroll-margin-top: 1rem; }
li:target, tr:target, h2:target, h3:target { background: #fff8c5; }
@media (max-width: 52rem) { body { display: block; } .sidebar { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); } main { padding: 1rem; } }
`;
