// Our SFU exactly as apps/sfu/dist/main.js starts it (same config loader, logger, startSfu), plus
// one benchmark-only hook over IPC: give an admitted, joined peer a PlainTransport (instead of the
// WebRtcTransport its createTransport request would make) through the peer's media object, which
// owns it like any other transport. Everything else — admission with join tokens, join, produce, consume,
// resumeConsumer, the active speaker observer, score/layer notifications — goes through the real
// socket.io signalling and Room code. The reference server uses the same transport type, so the
// comparison is room logic vs. none; ICE/DTLS/SRTP cost is the same for both and left out.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const req = createRequire(path.join(ROOT, 'apps/sfu/package.json'));
const { loadConfig } = req(path.join(ROOT, 'apps/sfu/dist/config/config.js'));
const { createLogger } = req(path.join(ROOT, 'apps/sfu/dist/logger.js'));
const { startSfu } = req(path.join(ROOT, 'apps/sfu/dist/server.js'));

const config = loadConfig(process.env);
const sfu = await startSfu(config, createLogger(config.logLevel));

function peerOf(roomId, userId) {
  const room = sfu.rooms.get(roomId);
  const peer = room && [...room.peers.values()].find((p) => p.userId === userId);
  if (!peer?.media) throw new Error(`peer ${userId} has not joined room ${roomId}`);
  return peer;
}

const ops = {
  port: async () => sfu.port,
  workerPid: async () => sfu.pool.slots[0].worker.pid,
  /** Per joined peer: bytes the SFU sent on its receive transports, and its flowing videos. */
  async receivers({ roomId }) {
    const room = sfu.rooms.get(roomId);
    const out = {};
    for (const peer of room?.peers.values() ?? []) {
      let bytesSent = 0;
      for (const t of peer.media?.transports.values() ?? [])
        if (t.appData.direction === 'recv')
          for (const s of await t.getStats()) bytesSent += s.bytesSent ?? 0;
      const videos = [...(peer.media?.consumers.values() ?? [])].filter(
        (c) => c.kind === 'video' && !c.paused && !c.producerPaused,
      ).length;
      out[peer.id] = { bytesSent, videos };
    }
    return out;
  },
  async plainTransport({ roomId, userId, direction, receiveAt }) {
    const peer = peerOf(roomId, userId);
    const transport = await peer.media.createPlainTransport({ direction, remote: receiveAt });
    return { id: transport.id, port: transport.tuple.localPort };
  },
};
process.on('message', async ({ id, op, args }) => {
  try {
    process.send({ id, ok: true, data: await ops[op](args) });
  } catch (err) {
    process.send({ id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => {
  sfu.close().finally(() => process.exit(0));
});
process.send({ ready: true });
