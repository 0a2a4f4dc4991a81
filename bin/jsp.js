#!/usr/bin/env node
// The `jsp` command: runs the TypeScript sources of src/cli through tsx, so a fresh clone needs
// no build step (`npm run build` only produces dist/ for library consumers).
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(`${root}src/cli/main.ts`).href);
