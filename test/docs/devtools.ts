/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (no WebSocket, no
 * dependency): Chromium reads commands from file descriptor 3 and writes replies and events to
 * file descriptor 4, each a JSON message ended by a NUL byte.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

interface Message { id?: number; method?: string; params?: any; result?: any; error?: { message: string }; sessionId?: string }

export class DevTools {
  private next = 1;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private listeners: Array<(m: Message) => void> = [];
  private buffer = '';
  readonly stderr: string[] = [];

  private constructor(private readonly proc: ChildProcess, private readonly input: Writable, output: Readable) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const msg = JSON.parse(this.buffer.slice(0, end)) as Message;
        this.buffer = this.buffer.slice(end + 1);
        if (msg.id !== undefined && this.pending.has(msg.id)) {
          const p = this.pending.get(msg.id)!;
          this.pending.delete(msg.id);
          if (msg.error) p.reject(new Error(msg.error.message)); else p.resolve(msg.result);
        } else for (const l of this.listeners) l(msg);
      }
    });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (d: string) => this.stderr.push(d));
  }

  /** Starts headless Chromium with the pipe and the given extra arguments. */
  static launch(chromium: string, args: string[]): DevTools {
    const proc = spawn(chromium, ['--headless', '--remote-debugging-pipe', ...args, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    return new DevTools(proc, proc.stdio[3] as Writable, proc.stdio[4] as Readable);
  }

  /** Sends a command (to a page when `sessionId` is given) and resolves with its result. */
  send(method: string, params: object = {}, sessionId?: string, timeoutMs = 30_000): Promise<any> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new Error(`DevTools: ${method} timed out`)); }, timeoutMs);
      this.pending.set(id, { resolve: (v) => { clearTimeout(timer); resolve(v); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      this.input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  /** Calls `fn` with every event. */
  onEvent(fn: (m: Message) => void): void {
    this.listeners.push(fn);
  }

  /** Resolves with the first event `method` (of `sessionId`) after this call. */
  waitFor(method: string, sessionId?: string, timeoutMs = 30_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`DevTools: no ${method} within ${timeoutMs} ms`)), timeoutMs);
      this.onEvent((m) => {
        if (m.method === method && (!sessionId || m.sessionId === sessionId)) { clearTimeout(timer); resolve(m.params); }
      });
    });
  }

  /** Closes the browser and waits for the process to end. */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    try {
      await this.send('Browser.close', {}, undefined, 5_000);
    } catch {
      this.proc.kill();
    }
    await exited;
  }
}
