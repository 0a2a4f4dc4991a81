/**
 * An echo server: every stream a client opens gets its own bytes back.
 *
 *   node --import tsx examples/echo-server.ts [PORT]      (default 4433; 0: any free port)
 *
 * It makes a fresh static key and prints its public half: clients pin it (echo-client.ts).
 * Outside this repository, import from 'jetstreamproto' instead of '#jetstreamproto'.
 */
import { generateKeyPair, listen } from '#jetstreamproto';

const port = Number(process.argv[2] ?? 4433);
const key = generateKeyPair();
const server = await listen({ host: '127.0.0.1', port, staticKey: key.secret });
console.log(`listening on 127.0.0.1:${server.address().port}`);
console.log(`server key: ${Buffer.from(key.public).toString('hex')}`);

server.on('connection', (conn) => {
  const from = `${conn.remoteAddress.address}:${conn.remoteAddress.port}`;
  console.log(`connection from ${from}`);
  conn.on('stream', (stream) => {
    stream.on('error', (e) => console.log(`stream ${stream.id}: ${e.message}`));
    stream.pipe(stream); // echo; ends our side when the client ends theirs
  });
  conn.on('close', () => console.log(`${from} left`));
});

// Ctrl-C: close every connection gracefully, then exit.
process.once('SIGINT', () => void server.close().then(() => console.log('closed')));
process.once('SIGTERM', () => void server.close().then(() => console.log('closed')));
