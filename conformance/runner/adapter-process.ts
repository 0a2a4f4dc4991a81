/**
 * One implementation under test, as a child process speaking the adapter protocol
 * (spec/conformance.yaml): request lines on its stdin, JSON response lines on its stdout.
 * A timeout, a crash or garbage fails the request in progress; the next request starts a
 * fresh process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Hello {
  name: string;
  protocol: number;
  capabilities: string[];
}

export type Response = { id: number | string; result: 'ok' | 'error' | 'unsupported'; [k: string]: unknown };

/** A request that got no usable answer. */
export class AdapterFailure extends Error {
  override name = 'AdapterFailure';
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

/** The adapter program cannot run here (it exited 127 before answering hello). */
export class AdapterUnavailable extends Error {
  override name = 'AdapterUnavailable';
}

export class AdapterProcess {
  private child?: ChildProcessWithoutNullStreams;
  private buffered = '';
  private lines: string[] = [];
  private waiter?: () => void;
  private stderr = '';
  private exited?: string;
  hello?: Hello;
  restarts = 0;

  constructor(readonly command: string, readonly timeoutMs: number) {}

  /** Starts the process (if needed) and performs the hello. */
  async start(): Promise<Hello> {
    if (this.child && !this.exited && this.hello) return this.hello;
    this.kill();
    this.buffered = '';
    this.lines = [];
    this.stderr = '';
    this.exited = undefined;
    // Its own process group, so that killing it also kills whatever the shell started.
    const child = spawn(this.command, { shell: true, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    // Events of a process that has since been replaced must not touch the current one's state.
    const current = () => this.child === child;
    child.stdout.on('data', (d: string) => {
      if (!current()) return;
      this.buffered += d;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.lines.push(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
      this.wake();
    });
    child.stderr.on('data', (d: string) => {
      if (current()) this.stderr = (this.stderr + d).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      if (!current()) return;
      this.exited = signal ? `killed by ${signal}` : `exited with status ${code}`;
      this.wake();
    });
    child.on('error', (e) => {
      if (!current()) return;
      this.exited = `could not start: ${e.message}`;
      this.wake();
    });
    child.stdin.on('error', () => { /* EPIPE after a crash: reported through 'exit' */ });
    let first: Response;
    try {
      first = await this.exchange('hello jsp-adapter/1', 'hello', Math.max(this.timeoutMs, 30_000));
    } catch (e) {
      if (this.exited === 'exited with status 127') throw new AdapterUnavailable(`'${this.command}' cannot run here (exit 127): ${this.stderr.trim()}`);
      throw e;
    }
    if (first.result !== 'ok' || first.protocol !== 1 || !Array.isArray(first.capabilities)) {
      throw new AdapterFailure(`bad hello answer: ${JSON.stringify(first)}`, this.stderr);
    }
    this.hello = { name: String(first.name ?? this.command), protocol: 1, capabilities: first.capabilities.map(String) };
    return this.hello;
  }

  /** Sends one request and waits for the response with the same id. */
  async request(id: number, line: string): Promise<Response> {
    if (!this.child || this.exited || !this.hello) {
      this.restarts += this.child ? 1 : 0;
      await this.start();
    }
    try {
      return await this.exchange(`${id} ${line}`, id, this.timeoutMs);
    } catch (e) {
      this.kill(); // whatever state it is in, the next case gets a fresh process
      throw e;
    }
  }

  private async exchange(line: string, id: number | string, timeoutMs: number): Promise<Response> {
    this.lines = [];
    this.child!.stdin.write(line + '\n');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.lines.shift();
      if (next !== undefined) {
        if (next.trim() === '') continue;
        let r: Response;
        try {
          r = JSON.parse(next) as Response;
        } catch {
          throw new AdapterFailure(`answer is not JSON: ${next.slice(0, 200)}`, this.stderr);
        }
        if (r.id !== id) throw new AdapterFailure(`answer has id ${JSON.stringify(r.id)}, expected ${JSON.stringify(id)}`, this.stderr);
        return r;
      }
      if (this.exited) throw new AdapterFailure(`adapter ${this.exited}`, this.stderr);
      const left = deadline - Date.now();
      if (left <= 0) throw new AdapterFailure(`no answer within ${timeoutMs} ms`, this.stderr);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => { clearTimeout(t); resolve(); };
      });
      this.waiter = undefined;
    }
  }

  private wake(): void {
    this.waiter?.();
  }

  /** Ends the process politely (quit, close stdin), then for sure. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.exited) {
      this.kill();
      return;
    }
    child.stdin.write('quit\n');
    child.stdin.end();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => { killGroup(child); resolve(); }, 2000);
      child.once('exit', () => { clearTimeout(t); resolve(); });
    });
    this.kill(); // release the pipes (and anything the shell left behind)
  }

  private kill(): void {
    if (this.child) killGroup(this.child);
    this.child = undefined;
    this.hello = undefined;
  }
}

/** Kills the adapter's whole process group (the shell and everything it started). */
function killGroup(child: ChildProcessWithoutNullStreams): void {
  child.stdin.destroy();
  child.stdout.destroy();
  child.stderr.destroy();
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
