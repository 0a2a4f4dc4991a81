/**
 * Chat over streams: each client opens one stream, sends its name as the first line, then
 * its messages, one per line; the server relays every line to the other clients.
 *
 *   node --import tsx examples/chat.ts                         a demo: a server and three clients in this process
 *   node --import tsx examples/chat.ts server [PORT]           a chat server (prints its key)
 *   node --import tsx examples/chat.ts join HOST:PORT KEY NAME  join: type lines, read the others'
 *
 * Outside this repository, import from 'jetstreamproto' instead of '#jetstreamproto'.
 */
import { createInterface } from 'node:readline';
import { connect, generateKeyPair, listen, type JspServer, type JspStream } from '#jetstreamproto';

/** A chat server: relays each client's lines to the others. */
async function chatServer(port: number): Promise<{ server: JspServer; key: Uint8Array }> {
  const key = generateKeyPair();
  const server = await listen({ host: '127.0.0.1', port, staticKey: key.secret });
  const members = new Map<JspStream, string>();
  const broadcast = (from: JspStream | undefined, line: string) => {
    for (const s of members.keys()) if (s !== from && s.writable) s.write(`${line}\n`);
  };
  server.on('connection', (conn) => {
    conn.on('stream', (stream) => {
      stream.on('error', () => members.delete(stream));
      let name: string | undefined;
      createInterface({ input: stream }).on('line', (line) => {
        if (name === undefined) {
          name = line.trim() || 'anonymous';
          broadcast(undefined, `* ${name} joined`);
          members.set(stream, name);
        } else broadcast(stream, `${name}: ${line}`);
      }).on('close', () => {
        members.delete(stream);
        if (name !== undefined) broadcast(undefined, `* ${name} left`);
        if (stream.writable) stream.end();
      });
    });
  });
  return { server, key: key.public };
}

/** Joins a chat: returns the stream and calls `onLine` for each line from the others. */
async function join(host: string, port: number, serverKey: Uint8Array, name: string, onLine: (line: string) => void) {
  const conn = await connect({ host, port, serverKey });
  const stream = await conn.openStream();
  stream.write(`${name}\n`);
  createInterface({ input: stream }).on('line', onLine);
  return { conn, stream, say: (text: string) => stream.write(`${text}\n`) };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const [mode, ...args] = process.argv.slice(2);

if (mode === 'server') {
  const { server, key } = await chatServer(Number(args[0] ?? 4434));
  console.log(`chat on 127.0.0.1:${server.address().port}, key ${Buffer.from(key).toString('hex')}`);
  process.once('SIGINT', () => void server.close());
} else if (mode === 'join') {
  const [address, key, name] = args;
  const i = address.lastIndexOf(':');
  const me = await join(address.slice(0, i), Number(address.slice(i + 1)), Buffer.from(key, 'hex'), name, (l) => console.log(l));
  createInterface({ input: process.stdin }).on('line', (l) => me.say(l)).on('close', () => void me.conn.close());
} else {
  // The demo: three people, each seeing what the others say.
  const { server, key } = await chatServer(0);
  const port = server.address().port;
  const people = await Promise.all(['ada', 'bob', 'cy'].map((name) =>
    join('127.0.0.1', port, key, name, (line) => console.log(`[${name} sees] ${line}`))));
  await wait(100);
  people[0].say('hello everyone');
  await wait(100);
  people[1].say('hi ada!');
  await wait(100);
  people[2].say('bye for now');
  await wait(100);
  people[2].stream.end(); // cy leaves
  await wait(200);
  for (const p of people) await p.conn.close();
  await server.close();
  console.log('chat closed');
}
