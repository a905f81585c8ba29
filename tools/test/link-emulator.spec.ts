// The weak-link benchmark's emulator must do what it claims, or its figures mean nothing: rate,
// drop-tail queue, delay, loss and outage, checked on real sockets through the relays.
import { spawnSync } from 'child_process';
import path from 'path';

const link = path.resolve(__dirname, '../../bench/lowband/link.mjs');

function run(script: string): Record<string, number> {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(r.stderr || `exit ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('link emulator (bench/lowband/link.mjs)', () => {
  it('UDP: drops the set share at random, delays by the one-way delay, caps the queue', () => {
    const out = run(`
      import dgram from 'node:dgram';
      import { Link, udpRelay } from ${JSON.stringify(link)};
      let seed = 42; const rng = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      const sink = dgram.createSocket('udp4');
      await new Promise((r) => sink.bind(0, '127.0.0.1', r));
      const got = []; sink.on('message', (m) => got.push([m.readUInt32BE(0), performance.now() - Number(m.readBigUInt64BE(4)) / 1000]));
      const lossy = new Link({ loss: 0.1, delayMs: 80, rng });
      const relay = await udpRelay({ link: lossy, target: { host: '127.0.0.1', port: sink.address().port } });
      const tx = dgram.createSocket('udp4');
      for (let i = 0; i < 1000; i++) {
        const b = Buffer.alloc(100); b.writeUInt32BE(i, 0); b.writeBigUInt64BE(BigInt(Math.round(performance.now() * 1000)), 4);
        tx.send(b, relay.port, '127.0.0.1');
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 600));
      const received = got.length;
      const delays = got.map((g) => g[1]).sort((a, b) => a - b);
      const narrow = new Link({ rateKbps: 256, queueMs: 500 });
      const relay2 = await udpRelay({ link: narrow, target: { host: '127.0.0.1', port: sink.address().port } });
      for (let i = 0; i < 200; i++) tx.send(Buffer.alloc(1200), relay2.port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 300));
      console.log(JSON.stringify({ received, lossDropped: lossy.up.stats.dropped.loss,
        minDelay: delays[0], medianDelay: delays[Math.floor(delays.length / 2)],
        queueDropped: narrow.up.stats.dropped.queue, queued: narrow.up.stats.packets - narrow.up.stats.dropped.queue }));
      relay.close(); relay2.close(); tx.close(); sink.close(); lossy.close(); narrow.close();
    `);
    expect(out.lossDropped).toBeGreaterThan(60);
    expect(out.lossDropped).toBeLessThan(140);
    expect(out.received).toBe(1000 - out.lossDropped);
    expect(out.minDelay).toBeGreaterThanOrEqual(79);
    // 256 kbit/s for 500 ms is 16 kB: about 13 packets of 1,200 bytes fit the queue.
    expect(out.queued).toBeGreaterThanOrEqual(12);
    expect(out.queued).toBeLessThanOrEqual(16);
    expect(out.queueDropped).toBeGreaterThan(0);
  });

  it('TCP: carries every byte in order at the set rate and holds them through an outage', () => {
    const out = run(`
      import net from 'node:net';
      import crypto from 'node:crypto';
      import { Link, tcpRelay } from ${JSON.stringify(link)};
      const payload = crypto.randomBytes(200_000);
      const chunks = [];
      let done; const finished = new Promise((r) => (done = r));
      const server = net.createServer((s) => { s.on('data', (d) => chunks.push(d)); s.on('end', () => { done(); s.end(); }); });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const line = new Link({ rateKbps: 2000, delayMs: 20 });
      const relay = await tcpRelay({ link: line, target: { host: '127.0.0.1', port: server.address().port } });
      const t0 = performance.now();
      const c = net.connect(relay.port, '127.0.0.1', () => { c.end(payload); });
      setTimeout(() => line.setOutage(true), 200);
      setTimeout(() => line.setOutage(false), 700);
      await finished;
      const ms = performance.now() - t0;
      const same = Buffer.concat(chunks).equals(payload);
      console.log(JSON.stringify({ ms, same: same ? 1 : 0 }));
      await relay.close(); server.close(); line.close();
    `);
    expect(out.same).toBe(1);
    // 200 kB at 2 Mbit/s is 800 ms on the wire, plus the 500 ms outage.
    expect(out.ms).toBeGreaterThan(1200);
    expect(out.ms).toBeLessThan(10_000);
  });

  it('after an outage, what was held leaves at line rate and new datagrams flow at once', () => {
    const out = run(`
      import { Pipe } from ${JSON.stringify(link)};
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const pipe = new Pipe({ rateKbps: 256, delayMs: 20, queueMs: 500 });
      let streamed = 0; let datagrams = 0;
      pipe.setOutage(true);
      // Signalling keeps writing during a 1 s outage: 5 segments held.
      for (let i = 0; i < 5; i++) { pipe.sendStream(1400, () => streamed++); await sleep(200); }
      pipe.setOutage(false);
      const restored = performance.now();
      for (let i = 0; i < 10; i++) { pipe.sendDatagram(200, () => datagrams++); await sleep(20); }
      await sleep(600);
      console.log(JSON.stringify({ streamed, datagrams, queueDrops: pipe.stats.dropped.queue,
        ms: performance.now() - restored }));
      pipe.close();
    `);
    expect(out.streamed).toBe(5);
    // 7 kB held is ~220 ms at 256 kbit/s: the datagrams after it are late by that, not dropped
    // or held for the outage's length.
    expect(out.queueDrops).toBe(0);
    expect(out.datagrams).toBe(10);
  });

  it('UDP: the tap sees each datagram with its kind and fate (sent, or why it was dropped)', () => {
    const out = run(`
      import dgram from 'node:dgram';
      import { Link, udpRelay } from ${JSON.stringify(link)};
      const sink = dgram.createSocket('udp4');
      let arrived = 0;
      sink.on('message', () => arrived++);
      await new Promise((r) => sink.bind(0, '127.0.0.1', r));
      const line = new Link({});
      const relay = await udpRelay({ link: line, target: { host: '127.0.0.1', port: sink.address().port } });
      const seen = [];
      line.up.tap = (msg, kind, fate) => seen.push([msg[1], kind, fate]);
      const tx = dgram.createSocket('udp4');
      const send = (first, tag) => { const b = Buffer.alloc(60); b[0] = first; b[1] = tag; tx.send(b, relay.port, '127.0.0.1'); };
      send(0x80, 1); send(0x00, 2);
      await new Promise((r) => setTimeout(r, 100));
      line.setOutage(true);
      send(0x80, 3);
      await new Promise((r) => setTimeout(r, 100));
      console.log(JSON.stringify({ seen, arrived }));
      relay.close(); tx.close(); sink.close(); line.close();
    `);
    expect(out).toEqual({
      seen: [
        [1, 'rtp', 'sent'],
        [2, 'stun', 'sent'],
        [3, 'rtp', 'outage'],
      ],
      arrived: 2,
    });
  });

  it('UDP: records the handshake datagrams (STUN, DTLS, with its records) it drops, not the media', () => {
    const out = run(`
      import dgram from 'node:dgram';
      import { Link, udpRelay } from ${JSON.stringify(link)};
      const sink = dgram.createSocket('udp4');
      await new Promise((r) => sink.bind(0, '127.0.0.1', r));
      const cut = new Link({ loss: 1 });
      const relay = await udpRelay({ link: cut, target: { host: '127.0.0.1', port: sink.address().port } });
      const tx = dgram.createSocket('udp4');
      const from = Date.now();
      // First bytes: 0x00 a STUN binding request, 22 a DTLS handshake record, 0x80 an RTP packet.
      // The DTLS datagram holds two records: a ServerHello (type 2) and a Certificate (type 11).
      const record = (body) => { const r = Buffer.alloc(13 + body.length); r[0] = 22;
        r.writeUInt16BE(body.length, 11); body.copy(r, 13); return r; };
      const dtls = Buffer.concat([record(Buffer.from([2, 0, 0, 0])), record(Buffer.from([11, 0, 0, 0, 0]))]);
      for (const first of [0x00, 22, 0x80, 0x80]) {
        const b = first === 22 ? dtls : Buffer.alloc(120); b[0] = first;
        tx.send(b, relay.port, '127.0.0.1');
      }
      await new Promise((r) => setTimeout(r, 200));
      const drops = cut.handshakeDropsBetween(from, Date.now());
      console.log(JSON.stringify({ lost: cut.up.stats.dropped.loss, kinds: drops.map((d) => d[2]).join(),
        dirs: drops.map((d) => d[1]).join(), why: drops.map((d) => d[3]).join(),
        records: drops.map((d) => d[4]).join(),
        inWindow: drops.every((d) => d[0] >= 0 && d[0] < 200) ? 1 : 0,
        before: cut.handshakeDropsBetween(0, from - 1).length }));
      relay.close(); tx.close(); sink.close(); cut.close();
    `);
    expect(out).toEqual({
      lost: 4,
      kinds: 'stun,dtls',
      dirs: 'up,up',
      why: 'loss,loss',
      records: ',ServerHello+Certificate',
      inWindow: 1,
      before: 0,
    });
  });
});
