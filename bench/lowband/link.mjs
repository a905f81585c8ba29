// A userspace link emulator: what a commune station's 3G/4G or DSL line does to its traffic.
// The kernel here has no netem, so the weak site's media (UDP) and signalling/web (TCP) are relayed
// through this process, which applies, per direction: a token-bucket rate with a drop-tail queue
// (its length in milliseconds of data), a one-way delay with jitter (never reordering), random
// loss, and outages. Media and signalling share one Link, as they share one line in the field.
//
// TCP cannot lose bytes: on the TCP relay loss is not applied (a real line's retransmissions show
// up as delay), the rate and delay are, an outage holds the bytes until the line is back, and a
// full queue pauses the sender (back-pressure) instead of dropping.
import dgram from 'node:dgram';
import net from 'node:net';

const SEGMENT = 1400; // bytes: TCP chunks are scheduled like packets of this size

/**
 * What a datagram carries, by its first byte (RFC 7983's demultiplexing): the connection's
 * handshakes (STUN for ICE, DTLS) or media (RTP/RTCP). A lost handshake datagram costs a
 * retransmission timer, not a concealed packet: the benchmark lists them beside a join's steps.
 */
export function datagramKind(first) {
  if (first <= 3) return 'stun';
  if (first >= 20 && first <= 63) return 'dtls';
  if (first >= 128 && first <= 191) return 'rtp';
  return 'other';
}

const HANDSHAKE_MESSAGES = {
  1: 'ClientHello',
  2: 'ServerHello',
  3: 'HelloVerifyRequest',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
};
const RECORD_TYPES = { 20: 'ChangeCipherSpec', 21: 'Alert', 23: 'ApplicationData' };

/**
 * The DTLS records a datagram carries (RFC 6347 §4.1), e.g. 'ServerHello+Certificate': which
 * flight a lost handshake datagram belonged to decides what it costs (a flight the sender
 * retransmits on its own timer, or the last one, resent only when the peer retransmits).
 * A handshake record of a later epoch is encrypted: after a ChangeCipherSpec that is Finished.
 */
export function dtlsRecords(msg) {
  const names = [];
  for (let at = 0; msg && at + 13 <= msg.length;) {
    const type = msg[at];
    const epoch = msg.readUInt16BE(at + 3);
    const length = msg.readUInt16BE(at + 11);
    if (type === 22)
      names.push(epoch > 0 ? 'Finished' : (HANDSHAKE_MESSAGES[msg[at + 13]] ?? 'Handshake'));
    else names.push(RECORD_TYPES[type] ?? `type${type}`);
    at += 13 + length;
  }
  return names.join('+');
}

/** One direction of a link. */
export class Pipe {
  constructor({ rateKbps = 0, queueMs = 500, delayMs = 0, jitterMs = 0, loss = 0, rng } = {}) {
    this.set({ rateKbps, queueMs, delayMs, jitterMs, loss });
    this.rng = rng ?? Math.random;
    this.outage = false;
    this.nextFree = 0; // when the line finishes sending what is queued (ms, performance clock)
    this.lastDelivery = 0;
    this.queue = []; // { at, deliver } in delivery order
    this.timer = null;
    this.stats = {
      packets: 0,
      bytes: 0,
      delivered: 0,
      deliveredBytes: 0,
      dropped: { loss: 0, queue: 0, outage: 0 },
    };
    // Handshake datagrams (STUN, DTLS) dropped, each { at: epoch ms, kind, why, size, records }
    // (records: a DTLS datagram's, see dtlsRecords); the last 200.
    this.handshakeDrops = [];
    // Every DTLS datagram offered, { at: epoch ms, fate, records }, the last 400: which flights
    // were sent again, and when, shows what a lost one cost.
    this.dtlsLog = [];
    this.waiters = []; // resumed when the backlog drains (TCP back-pressure)
    // Diagnosis: when set, called with each datagram offered and its fate ('sent', or why dropped).
    this.tap = null;
  }

  set({ rateKbps, queueMs, delayMs, jitterMs, loss }) {
    if (rateKbps !== undefined) this.rateKbps = rateKbps;
    if (queueMs !== undefined) this.queueMs = queueMs;
    if (delayMs !== undefined) this.delayMs = delayMs;
    if (jitterMs !== undefined) this.jitterMs = jitterMs;
    if (loss !== undefined) this.loss = loss;
  }

  /** Milliseconds of data waiting to be sent. */
  backlogMs(now = performance.now()) {
    return Math.max(0, this.nextFree - now);
  }

  /**
   * A datagram: may be lost, dropped at a full queue or in an outage. Returns whether it was
   * sent. `kind` (datagramKind): a dropped handshake datagram is recorded in `handshakeDrops`.
   * `msg`: the datagram itself, for the tap.
   */
  sendDatagram(size, deliver, kind = 'other', msg = null) {
    const records = kind === 'dtls' ? dtlsRecords(msg) : '';
    const fate = this.#admit(size, deliver, kind, records);
    this.tap?.(msg, kind, fate);
    if (kind === 'dtls') {
      this.dtlsLog.push({ at: Date.now(), fate, records });
      if (this.dtlsLog.length > 400) this.dtlsLog.shift();
    }
    return fate === 'sent';
  }

  #admit(size, deliver, kind, records) {
    this.stats.packets++;
    this.stats.bytes += size;
    if (this.outage) return this.#drop('outage', kind, size, records);
    if (this.loss > 0 && this.rng() < this.loss) return this.#drop('loss', kind, size, records);
    const now = performance.now();
    if (this.rateKbps > 0 && this.backlogMs(now) > this.queueMs)
      return this.#drop('queue', kind, size, records);
    this.#schedule(size, deliver, now);
    return 'sent';
  }

  /** A chunk of a byte stream: never lost; held through an outage. */
  sendStream(size, deliver) {
    this.stats.packets++;
    this.stats.bytes += size;
    this.#schedule(size, deliver, performance.now());
  }

  /** Resolves when the backlog is below half the queue (for back-pressure). */
  drained() {
    if (this.rateKbps <= 0 || this.backlogMs() <= this.queueMs / 2) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  setOutage(on) {
    if (on === this.outage) return;
    this.outage = on;
    const now = performance.now();
    if (on) {
      this.outageStart = now;
      return;
    }
    // What waited through the outage leaves at line rate from now, in order, not all at once.
    // (Shifting every held item by the outage's length was wrong for bytes queued during the
    // outage: they and everything after them were delayed by the outage a second time, and the
    // inflated backlog dropped every datagram for as long as the outage had lasted.)
    const held = this.queue;
    this.queue = [];
    this.nextFree = now;
    this.lastDelivery = now;
    for (const item of held) this.#schedule(item.size, item.deliver, now);
    this.#pump();
  }

  #drop(why, kind, size, records) {
    this.stats.dropped[why]++;
    if (kind === 'stun' || kind === 'dtls') {
      this.handshakeDrops.push({ at: Date.now(), kind, why, size, records });
      if (this.handshakeDrops.length > 200) this.handshakeDrops.shift();
    }
    return why;
  }

  #schedule(size, deliver, now) {
    const serialise = this.rateKbps > 0 ? (size * 8) / this.rateKbps : 0; // ms
    const departure = Math.max(now, this.nextFree) + serialise;
    this.nextFree = departure;
    const jitter = this.jitterMs > 0 ? this.rng() * this.jitterMs : 0;
    const at = Math.max(departure + this.delayMs + jitter, this.lastDelivery);
    this.lastDelivery = at;
    this.queue.push({ at, size, deliver });
    if (this.queue.length === 1) this.#pump();
  }

  #pump() {
    clearTimeout(this.timer);
    this.timer = null;
    const now = performance.now();
    while (this.queue.length && !this.outage && this.queue[0].at <= now + 0.5) {
      const { size, deliver } = this.queue.shift();
      this.stats.delivered++;
      this.stats.deliveredBytes += size;
      try {
        deliver();
      } catch {
        /* the other end went away */
      }
    }
    if (this.waiters.length && this.backlogMs(now) <= this.queueMs / 2)
      this.waiters.splice(0).forEach((w) => w());
    if (this.outage) return; // held until the line is back (setOutage shifts the schedule)
    if (this.queue.length)
      this.timer = setTimeout(() => this.#pump(), Math.max(0, this.queue[0].at - now));
  }

  close() {
    clearTimeout(this.timer);
    this.queue = [];
    this.waiters.splice(0).forEach((w) => w());
  }
}

/** Both directions of one site's line: `up` is site → servers, `down` servers → site. */
export class Link {
  constructor(profile = {}) {
    this.up = new Pipe(profile.up ?? profile);
    this.down = new Pipe(profile.down ?? profile);
  }

  /** Changes rate/delay/loss of both directions (or `{up, down}` separately). */
  set(profile) {
    this.up.set(profile.up ?? profile);
    this.down.set(profile.down ?? profile);
  }

  setOutage(on) {
    this.up.setOutage(on);
    this.down.setOutage(on);
  }

  close() {
    this.up.close();
    this.down.close();
  }

  /**
   * Handshake datagrams dropped between two epoch times:
   * [ms after `from`, direction, kind, why, DTLS records].
   */
  handshakeDropsBetween(from, to) {
    return ['up', 'down']
      .flatMap((dir) =>
        this[dir].handshakeDrops
          .filter((d) => d.at >= from && d.at <= to)
          .map((d) => [d.at - from, dir, d.kind, d.why, d.records]),
      )
      .sort((a, b) => a[0] - b[0]);
  }

  /** DTLS datagrams offered between two epoch times: [ms after `from`, direction, fate, records]. */
  dtlsBetween(from, to) {
    return ['up', 'down']
      .flatMap((dir) =>
        this[dir].dtlsLog
          .filter((d) => d.at >= from && d.at <= to)
          .map((d) => [d.at - from, dir, d.fate, d.records]),
      )
      .sort((a, b) => a[0] - b[0]);
  }
}

/**
 * Relays UDP datagrams from clients on `listenPort` to `target` through `link`. Each client
 * address gets its own upstream socket, so the server sees one address per client as with NAT.
 */
export async function udpRelay({ link, target, host = '127.0.0.1', listenPort = 0 }) {
  const front = dgram.createSocket('udp4');
  const clients = new Map();
  front.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let upstream = clients.get(key);
    if (!upstream) {
      upstream = dgram.createSocket('udp4');
      upstream.on('message', (back) =>
        link.down.sendDatagram(
          back.length,
          () => front.send(back, rinfo.port, rinfo.address),
          datagramKind(back[0]),
          back,
        ),
      );
      upstream.on('error', () => {});
      upstream.bind(0, host);
      clients.set(key, upstream);
    }
    link.up.sendDatagram(
      msg.length,
      () => upstream.send(msg, target.port, target.host),
      datagramKind(msg[0]),
      msg,
    );
  });
  front.on('error', () => {});
  await new Promise((resolve) => front.bind(listenPort, host, resolve));
  return {
    port: front.address().port,
    close: () => {
      for (const s of clients.values()) s.close();
      front.close();
    },
  };
}

function pipeStream(from, to, pipe) {
  from.on('data', (chunk) => {
    for (let i = 0; i < chunk.length; i += SEGMENT) {
      const part = chunk.subarray(i, i + SEGMENT);
      pipe.sendStream(part.length, () => to.writable && to.write(part));
    }
    if (pipe.rateKbps > 0 && pipe.backlogMs() > pipe.queueMs) {
      from.pause();
      void pipe.drained().then(() => from.resume());
    }
  });
  from.on('end', () => pipe.sendStream(0, () => to.end()));
  from.on('error', () => to.destroy());
}

/** Relays TCP connections on `listenPort` to `target` through `link` (HTTP, WebSocket, ICE-TCP). */
export async function tcpRelay({ link, target, host = '127.0.0.1', listenPort = 0 }) {
  const sockets = new Set();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: target.port, host: target.host, allowHalfOpen: true });
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipeStream(client, upstream, link.up);
    pipeStream(upstream, client, link.down);
    // A close travels down the line behind the bytes sent before it.
    client.on('close', () => link.up.sendStream(0, () => upstream.destroy()));
    upstream.on('close', () => link.down.sendStream(0, () => client.destroy()));
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise((resolve) => server.listen(listenPort, host, resolve));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
