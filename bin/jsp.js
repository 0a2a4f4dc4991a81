#!/usr/bin/env node
// The `jsp` command. Runs the compiled CLI when `npm run build` has produced dist/, and the
// TypeScript sources through tsx otherwise (a fresh clone needs no build step).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/cli/main.js`;
if (existsSync(compiled) && !process.env.JSP_FROM_SOURCE) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(`${root}src/cli/main.ts`).href);
}
