/** Helpers of the CLI and examples tests: long-running processes (servers) and one-shot runs. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** A running process whose stdout is collected. */
export interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stdout (or rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `node --import tsx FILE ARGS…` (FILE relative to the repository). */
export function start(file: string, args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, file), ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(re, ms = 10_000) {
      const t0 = Date.now();
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (Date.now() - t0 > ms || child.exitCode !== null) throw new Error(`no ${re} in ${file}'s output after ${Date.now() - t0} ms:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `node --import tsx FILE ARGS…` to its end, with `input` on stdin; its exit code and output. */
export function run(file: string, args: string[], o: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = start(file, args);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
  p.child.stdin.end(o.input ?? '');
  return new Promise((resolve) => p.child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout: p.stdout(), stderr: p.stderr() }); }));
}

/** `jsp ARGS…` to its end. */
export const jsp = (args: string[], o: { input?: string | Buffer; timeoutMs?: number } = {}) => run('src/cli/main.ts', args, o);

/** Starts `jsp server ARGS…` on a free port; its port and public key once it listens. */
export async function jspServer(args: string[]): Promise<Running & { address: string; key: string }> {
  const p = start('src/cli/main.ts', ['server', '--listen', '127.0.0.1:0', ...args]);
  const m = await p.waitFor(/on udp:\/\/127\.0\.0\.1:(\d+)\npublic key: ([0-9a-f]{64})/);
  return Object.assign(p, { address: `127.0.0.1:${m[1]}`, key: m[2] });
}
