/**
 * The resumption part of `npm start`, over real UDP on loopback: a first connection leaves a
 * session ticket in the client's store; the next connection resumes from it and sends its request
 * in 0-RTT; the server answers as soon as it reads it. Prints whether 0-RTT was accepted and the
 * round trips saved (measured in the simulator with a 50 ms RTT: loopback's sub-millisecond RTT
 * would hide them behind CPU time).
 */
import { performance } from 'node:perf_hooks';
import { nodeProvider as p } from '../crypto/node.ts';
import { Endpoint, type Connection, type ConnectionEvent } from '../core/connection/index.ts';
import { AntiReplay, MemoryTicketStore, ServerTickets, TicketKeys } from '../core/tickets/index.ts';
import { UdpDriver } from '../node/udp-driver.ts';
import { timeToFirstByte } from '../bench/resume.ts';

async function waitFor(pred: () => boolean, ms: number): Promise<boolean> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) return false;
    await new Promise((r) => setTimeout(r, 1));
  }
  return true;
}

/** Returns the number of failures (0 when resumption and 0-RTT worked). */
export async function resumeDemo(log: (s: string) => void): Promise<number> {
  const epochMs = performance.timeOrigin;
  const serverSecret = p.randomBytes(32);
  const serverKey = p.x25519.publicKey(serverSecret);
  const tickets = new ServerTickets({ keys: new TicketKeys({ provider: p, rng: p.randomBytes }, epochMs + performance.now()), antiReplay: new AntiReplay(), epochMs });
  const server = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes, server: { staticKeys: [serverSecret], tickets } }));
  const client = await UdpDriver.bind('127.0.0.1', 0, (address) => new Endpoint({ address, provider: p, rng: p.randomBytes }));
  const store = new MemoryTicketStore();
  const answered = new Set<Connection>();
  server.onActivity = () => {
    for (const sc of server.endpoint.connections) {
      for (let e = sc.pollEvent(); e; e = sc.pollEvent()) {
        if (e.type !== 'stream_readable' || answered.has(sc)) continue;
        const r = sc.read(e.id);
        if (r.fin) { answered.add(sc); sc.write(e.id, new TextEncoder().encode(`answer to "${new TextDecoder().decode(r.data)}"`)); sc.finish(e.id); server.schedule(); }
      }
    }
  };
  /** One request/answer; the request goes in 0-RTT when the connection can. */
  const exchange = async (request: string) => {
    const events: ConnectionEvent[] = [];
    const conn = client.endpoint.connect(client.now(), server.address, { serverKey }, { store, epochMs });
    let sent = false, answer = '';
    const send = () => { const id = conn.openStream(true)!; conn.write(id, new TextEncoder().encode(request)); conn.finish(id); sent = true; };
    try { send(); } catch { /* no 0-RTT: after the handshake */ }
    client.onActivity = () => {
      if (!sent && conn.state === 'established') { send(); client.schedule(); }
      for (let e = conn.pollEvent(); e; e = conn.pollEvent()) {
        events.push(e);
        if (e.type === 'stream_readable') answer += new TextDecoder().decode(conn.read(e.id).data);
      }
    };
    client.pump();
    await waitFor(() => answer.endsWith('"') && store.count(serverKey) > 0, 5000);
    conn.close(client.now(), 0, 'demo');
    client.pump();
    return { events, answer };
  };
  let failures = 0;
  try {
    const first = await exchange('GET /first');
    log(`   first connection: full handshake, answer ${JSON.stringify(first.answer)}; a session ticket arrived (${store.count(serverKey)} in the store)`);
    const second = await exchange('GET /second');
    const accepted = second.events.some((e) => e.type === 'early_data_accepted');
    if (!accepted || !second.answer.includes('/second')) failures++;
    log(`   resumed connection: request sent in 0-RTT with the ClientHello — ${accepted ? 'accepted' : 'REJECTED'}; answer ${JSON.stringify(second.answer)}`);
    const rtt = 50, fresh = timeToFirstByte('fresh', rtt), zero = timeToFirstByte('0-rtt', rtt);
    log(`   round trips saved: with a ${rtt} ms RTT (simulator) the answer comes ${fresh} ms after connect on a fresh handshake, ${zero} ms with 0-RTT — ${(fresh - zero) / rtt} round trip saved`);
    log(`   the server: ${tickets.stats.issued} tickets issued, ${tickets.stats.accepted} resumption(s), ${tickets.stats.earlyAccepted} with 0-RTT accepted`);
  } finally {
    await client.close();
    await server.close();
  }
  return failures;
}
