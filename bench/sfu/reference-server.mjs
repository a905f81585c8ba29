// The reference: bare mediasoup with the SFU's codecs and the benchmark's topology, and nothing
// else: one worker, one router per room, a PlainTransport in and one out per site, simulcast
// producers, consumers of every other site. No signalling, no tokens, no room logic, no active
// speaker observer, no event forwarding. Driven by the benchmark over IPC (process.send).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sfuRequire = createRequire(path.join(ROOT, 'apps/sfu/package.json'));
const mediasoup = sfuRequire('mediasoup');
const { MEDIA_CODECS } = sfuRequire(path.join(ROOT, 'apps/sfu/dist/media/codecs.js'));

// Same as index.mjs's: no transport-cc / REMB for the plain receivers (see there).
function receiverCapabilities(caps) {
  return {
    ...caps,
    codecs: caps.codecs.map((c) => ({
      ...c,
      rtcpFeedback: (c.rtcpFeedback ?? []).filter(
        (f) => f.type !== 'transport-cc' && f.type !== 'goog-remb',
      ),
    })),
    headerExtensions: (caps.headerExtensions ?? []).filter(
      (h) => !/transport-wide-cc|abs-send-time/.test(h.uri),
    ),
  };
}

const worker = await mediasoup.createWorker({ logLevel: 'warn' });
worker.on('died', () => process.exit(1));
const rooms = new Map();
const listenInfo = { protocol: 'udp', ip: '127.0.0.1' };

async function addSite({ roomId, siteId, producers, receiveAt }) {
  let room = rooms.get(roomId);
  if (!room) {
    room = { router: await worker.createRouter({ mediaCodecs: MEDIA_CODECS }), sites: new Map() };
    rooms.set(roomId, room);
  }
  const send = await room.router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
  const recv = await room.router.createPlainTransport({
    listenInfo,
    rtcpMux: true,
    comedia: false,
  });
  await recv.connect({ ip: receiveAt.ip, port: receiveAt.port });
  const site = { send, recv, producers: [], consumers: [] };
  room.sites.set(siteId, site);
  for (const p of producers)
    site.producers.push(await send.produce({ kind: p.kind, rtpParameters: p.rtpParameters }));
  return { sendPort: send.tuple.localPort };
}

/** Every site consumes every other site's producers (call once all sites of a room are in). */
async function connectRoom({ roomId }) {
  const room = rooms.get(roomId);
  const out = [];
  for (const [siteId, site] of room.sites) {
    for (const [otherId, other] of room.sites) {
      if (otherId === siteId) continue;
      for (const producer of other.producers) {
        const consumer = await site.recv.consume({
          producerId: producer.id,
          rtpCapabilities: receiverCapabilities(room.router.rtpCapabilities),
          paused: true,
        });
        await consumer.resume();
        site.consumers.push(consumer);
        out.push({ siteId, kind: consumer.kind, ssrc: consumer.rtpParameters.encodings[0].ssrc });
      }
    }
  }
  return out;
}

async function debug() {
  const out = [];
  for (const room of rooms.values())
    for (const site of room.sites.values()) {
      for (const p of site.producers) out.push({ producer: p.kind, stats: await p.getStats() });
      for (const c of site.consumers.slice(0, 2))
        out.push({
          consumer: c.kind,
          layers: c.currentLayers,
          preferred: c.preferredLayers,
          stats: await c.getStats(),
          score: c.score,
          dump: c.kind === 'video' ? await c.dump() : null,
        });
      break;
    }
  return out;
}
const ops = { addSite, connectRoom, debug, workerPid: async () => worker.pid };
process.on('message', async ({ id, op, args }) => {
  try {
    process.send({ id, ok: true, data: await ops[op](args) });
  } catch (err) {
    process.send({ id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => {
  worker.close();
  process.exit(0);
});
process.send({ ready: true });
