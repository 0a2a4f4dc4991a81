/**
 * The `jsp` command line. Each command has `--help`; bad arguments get a clear message and
 * exit code 2.
 */
import { benchCodec } from '../bench/codec.ts';
import { benchAead } from '../bench/aead.ts';
import { benchHandshake } from '../bench/handshake.ts';
import { printTable, type BenchResult } from '../bench/harness.ts';
import { runDemo } from './demo.ts';
import { ConformanceUsageError, conformanceCommand, conformanceUsage } from './conformance.ts';
import { docsUsage } from './docs.ts';
import { keygenUsage } from './keygen.ts';
import { CliRuntimeError, CliUsageError } from './args.ts';
import { recvUsage, serverUsage } from './server.ts';
import { clientUsage, sendUsage } from './client.ts';

interface Command {
  summary: string;
  usage: string;
  run: (args: string[]) => Promise<number> | number;
}

class UsageError extends Error {}

/** A suite returns its rows, or a promise of them when its peer is asynchronous (sockets). */
const SUITES: Record<string, { about: string; run: () => BenchResult[] | Promise<BenchResult[]> }> = {
  codec: { about: 'generated codec vs protobufjs (control messages) and vs a hand-written DataView loop (frames)', run: benchCodec },
  aead: { about: 'seal+open of a 1200-byte packet per provider and suite vs the raw node:crypto call', run: benchAead },
  handshake: { about: 'full JSP handshakes/s in process per provider and group vs Node TLS 1.3 over loopback TCP', run: () => benchHandshake() },
  sim: { about: 'goodput in the simulator (20 Mbit/s, 50 ms RTT) at 0/1/5% loss, and core CPU per MB', run: async () => (await import('../bench/sim.ts')).benchSim() },
  resume: { about: 'time to first byte in the simulator (50 ms RTT): fresh handshake vs resumed 1-RTT vs request in 0-RTT', run: async () => (await import('../bench/resume.ts')).benchResume() },
  loopback: { about: 'bulk throughput over real UDP on 127.0.0.1 (1 and 16 streams) vs a raw dgram blast, TLS 1.3 over TCP and http2 with 100 streams, and heap per idle connection', run: async () => (await import('../bench/loopback.ts')).benchLoopback() },
};

const commands: Record<string, Command> = {
  codegen: {
    summary: 'regenerate the codecs from spec/ (or check that they are current)',
    usage: `jsp codegen [--check] [--lang ts|python|rust|c|go --out DIR]

  (no options)      regenerate src/gen/*.ts and schema/jetstream.proto from spec/
  --check           exit 1 when a generated file is stale
  --lang ts --out DIR
                    write a self-contained TypeScript codec (gen/ and codec/) into DIR
  --lang python --out DIR
                    write a Python 3.10+ stdlib-only codec (jsp_codec/) and DIR/adapter, the
                    conformance adapter: npx jsp conformance --impl DIR/adapter
  --lang rust --out DIR
                    write a cargo crate without dependencies and DIR/adapter (built on first use)
  --lang c --out DIR
                    write C99 sources, a Makefile and DIR/adapter (built with make on first use)
  --lang go --out DIR
                    write a Go module (standard library only) and DIR/adapter (go build on first use)`,
    run: async (args) => (await import('./codegen.ts')).codegenCommand(args),
  },
  bench: {
    summary: 'run benchmarks side by side with their peers and print ratios',
    usage: `jsp bench [SUITE ...] [--json]

  SUITE             ${Object.entries(SUITES).map(([k, v]) => `${k}: ${v.about}`).join('\n                    ')}
                    (default: every suite)
  --json            print an array of {name, value, unit, peer?, ratio?}; ratio > 1: JSP ahead`,
    run: async (args) => {
      const json = args.includes('--json');
      const names = args.filter((a) => !a.startsWith('--'));
      for (const a of args) if (a.startsWith('--') && a !== '--json') throw new UsageError(`unknown option ${a}`);
      for (const n of names) if (!SUITES[n]) throw new UsageError(`unknown suite '${n}' (suites: ${Object.keys(SUITES).join(', ')})`);
      const results: BenchResult[] = [];
      // One suite at a time: suites must not overlap in time, or they would measure each other.
      for (const n of names.length ? names : Object.keys(SUITES)) results.push(...await SUITES[n].run());
      if (json) console.log(JSON.stringify(results, null, 2));
      else printTable(results);
      return 0;
    },
  },
  conformance: {
    summary: 'run the conformance vectors against any implementation through its adapter',
    usage: conformanceUsage,
    run: async (args) => {
      try {
        return await conformanceCommand(args);
      } catch (e) {
        if (e instanceof ConformanceUsageError) throw new UsageError(e.message);
        throw e;
      }
    },
  },
  adapter: {
    summary: 'the reference runtime as a conformance adapter (stdin/stdout, spec/conformance.yaml)',
    usage: 'jsp adapter    (speaks the adapter protocol on stdin/stdout; used as --impl "npx jsp adapter")',
    run: async () => (await import('../../conformance/adapter/ts.ts')).runAdapter(),
  },
  docs: {
    summary: 'render spec/ as a static site (docs/site) with the API reference',
    usage: docsUsage,
    run: async (args) => (await import('./docs.ts')).docsCommand(args),
  },
  keygen: {
    summary: 'make a static X25519 key pair (servers; clients pin the public key)',
    usage: keygenUsage,
    run: async (args) => {
      const { keygenCommand, KeygenUsageError } = await import('./keygen.ts');
      try {
        return keygenCommand(args);
      } catch (e) {
        if (e instanceof KeygenUsageError) throw new UsageError(e.message);
        throw e;
      }
    },
  },
  server: {
    summary: 'a JSP server on UDP: echo, discard, or serve the files of a directory',
    usage: serverUsage,
    run: async (args) => (await import('./server.ts')).serverCommand(args),
  },
  client: {
    summary: 'a JSP client: stdin/stdout like netcat, --bulk throughput, --get a file, --resume with 0-RTT',
    usage: clientUsage,
    run: async (args) => (await import('./client.ts')).clientCommand(args),
  },
  send: {
    summary: 'push a file to jsp recv (name, size and SHA-256 checked)',
    usage: sendUsage,
    run: async (args) => (await import('./client.ts')).sendCommand(args),
  },
  recv: {
    summary: 'receive files pushed by jsp send into a directory',
    usage: recvUsage,
    run: async (args) => (await import('./server.ts')).recvCommand(args),
  },
  demo: {
    summary: 'what `npm start` runs: a tour of what JSP does today',
    usage: 'jsp demo',
    run: () => runDemo(),
  },
};

function help(): string {
  const w = Math.max(...Object.keys(commands).map((k) => k.length));
  return `jsp — JetStreamProto, a secure multiplexed transport over UDP (spec-driven reference implementation)

Usage: jsp <command> [options]      (jsp <command> --help for its options)

Commands:
${Object.entries(commands).map(([k, c]) => `  ${k.padEnd(w)}  ${c.summary}`).join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`jsp: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(args);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CliUsageError) {
      console.error(`jsp ${name}: ${e.message}\n\n${cmd.usage}`);
      return 2;
    }
    if (e instanceof CliRuntimeError) {
      console.error(`jsp ${name}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
