/**
 * The resumption part of `npm start`, over real UDP on loopback and the public API: a first
 * connection leaves a session ticket in the client's store; the next one resumes from it with
 * `earlyData: true`, so `connect` hands it over before the handshake and its request travels in
 * 0-RTT; the server answers as soon as it reads it. Prints whether 0-RTT was accepted and the
 * round trips saved (measured in the simulator with a 50 ms RTT: loopback's sub-millisecond RTT
 * would hide them behind CPU time).
 */
import { connect, generateKeyPair, listen, MemoryTicketStore, type JspConnection, type JspStream } from '../index.ts';
import { timeToFirstByte } from '../bench/resume.ts';

/** Reads a stream to its end as text. */
function readText(s: JspStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    s.on('data', (b: Buffer) => { text += String(b); });
    s.once('end', () => resolve(text));
    s.once('error', reject);
  });
}

/** Returns the number of failures (0 when resumption and 0-RTT worked). */
export async function resumeDemo(log: (s: string) => void): Promise<number> {
  const key = generateKeyPair();
  const server = await listen({ host: '127.0.0.1', port: 0, staticKey: key.secret }); // tickets are on by default
  server.on('connection', (conn) => conn.on('stream', (s) => {
    readText(s).then((request) => s.end(`answer to "${request}"`), () => {});
  }));
  const store = new MemoryTicketStore();
  /** One request/answer; the request goes in 0-RTT when the connection can. */
  const exchange = async (request: string): Promise<{ conn: JspConnection; answer: string; early: string }> => {
    const conn = await connect({ host: '127.0.0.1', port: server.address().port, serverKey: key.public, session: store, earlyData: true });
    const early = conn.earlyData; // 'pending': handed over before the handshake
    const ticket = new Promise((resolve) => conn.once('session', resolve));
    const s = await conn.openStream();
    const answer = readText(s);
    s.end(request);
    const result = { conn, answer: await answer, early };
    await ticket; // the next connection resumes from it
    await conn.close();
    return result;
  };
  let failures = 0;
  try {
    const first = await exchange('GET /first');
    log(`   first connection: full handshake, answer ${JSON.stringify(first.answer)}; a session ticket arrived (${store.count(key.public)} in the store)`);
    const second = await exchange('GET /second');
    const accepted = second.conn.earlyData === 'accepted';
    if (second.early !== 'pending' || !accepted || !second.conn.resumed || !second.answer.includes('/second')) failures++;
    log(`   resumed connection: connect() returned before the handshake; request sent in 0-RTT with the ClientHello — ${accepted ? 'accepted' : 'REJECTED'}; answer ${JSON.stringify(second.answer)}`);
    const rtt = 50, fresh = timeToFirstByte('fresh', rtt), zero = timeToFirstByte('0-rtt', rtt);
    log(`   round trips saved: with a ${rtt} ms RTT (simulator) the answer comes ${fresh} ms after connect on a fresh handshake, ${zero} ms with 0-RTT — ${(fresh - zero) / rtt} round trip saved`);
    const t = server.ticketStats!;
    log(`   the server: ${t.issued} tickets issued, ${t.accepted} resumption(s), ${t.earlyAccepted} with 0-RTT accepted`);
  } finally {
    await server.close();
  }
  return failures;
}
