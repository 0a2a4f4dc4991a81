/**
 * An echo client: sends a message on a stream, reads the echo, measures a heartbeat, closes.
 *
 *   node --import tsx examples/echo-client.ts HOST:PORT SERVER_KEY [MESSAGE]
 *
 * SERVER_KEY is the 64 hex digits echo-server.ts (or jsp server) printed.
 * Outside this repository, import from 'jetstreamproto' instead of '#jetstreamproto'.
 */
import { connect } from '#jetstreamproto';

const [address, key, message = 'hello over JSP'] = process.argv.slice(2);
if (!address || !key) {
  console.error('usage: echo-client.ts HOST:PORT SERVER_KEY [MESSAGE]');
  process.exit(2);
}
const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];

const conn = await connect({ host, port, serverKey: Buffer.from(key, 'hex') });
console.log(`connected (${conn.handshake?.suite}, ${conn.handshake?.group})`);

const stream = await conn.openStream();
stream.end(message); // write, then FIN
const chunks: Buffer[] = [];
for await (const chunk of stream) chunks.push(chunk as Buffer);
console.log(`echo: ${Buffer.concat(chunks).toString()}`);

console.log(`ping: ${(await conn.ping()).toFixed(2)} ms`);
await conn.close(); // drains, then CONNECTION_CLOSE
