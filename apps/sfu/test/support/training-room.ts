import { randomUUID } from 'node:crypto';
import type { Sfu } from '../../src/server';
import { MediaBot } from './media-bot';
import type { TokenIssuer } from './tokens';

/**
 * A training room full of WebRTC sites, for the training test and the `training` benchmark: one
 * presenter (camera and shared screen) and `sites` receiving sites, each a MediaBot.
 */
export async function fillTrainingRoom(
  sfu: Sfu & { url: string },
  issuer: TokenIssuer,
  sites: number,
): Promise<{ sid: string; presenter: MediaBot; sites: MediaBot[] }> {
  const sid = randomUUID();
  const facility = (n: number) => ({ id: randomUUID(), name: `Trạm Y tế xã ${n}` });
  const presenter = await MediaBot.join(
    sfu.url,
    issuer.sign({ sid, kind: 'training', presenter: true, name: 'Giảng viên', role: 'specialist' }),
  );
  await presenter.sendVideo('camera');
  await presenter.sendVideo('screen');
  const out: MediaBot[] = [];
  // A few at a time: a whole network joining in the same second is not what we measure.
  for (let i = 0; i < sites; i += 5) {
    const batch = Array.from({ length: Math.min(5, sites - i) }, (_, k) =>
      MediaBot.join(
        sfu.url,
        issuer.sign({
          sid,
          kind: 'training',
          name: `Bác sĩ ${i + k + 1}`,
          role: 'requester',
          facility: facility(i + k + 1),
        }),
      ),
    );
    out.push(...(await Promise.all(batch)));
  }
  return { sid, presenter, sites: out };
}

export interface TrainingFigures {
  sites: number;
  windowSeconds: number;
  /** CPU of the SFU's mediasoup workers over the window, % of one core. */
  workerCpuPercent: number;
  /** What the SFU sent each receiving site (its receive transport), kbit/s. */
  receiverKbps: number[];
  /** Video consumers forwarding at the end of the window, per receiving site. */
  forwardedVideos: number[];
}

async function workerCpuMs(sfu: Sfu): Promise<number> {
  let ms = 0;
  for (const slot of sfu.pool.slots) {
    const u = await slot.worker.getResourceUsage();
    ms += u.ru_utime + u.ru_stime;
  }
  return ms;
}

async function bytesSentTo(sfu: Sfu, sid: string, peerId: string): Promise<number> {
  const media = sfu.rooms.get(sid)?.peers.get(peerId)?.media;
  let bytes = 0;
  for (const t of media?.transports.values() ?? []) {
    if ((t.appData as { direction?: string }).direction !== 'recv') continue;
    for (const s of await t.getStats()) bytes += s.bytesSent ?? 0;
  }
  return bytes;
}

/** Measure the SFU's CPU and each site's received bitrate over `windowMs` (process CPU time). */
export async function measureTraining(
  sfu: Sfu,
  sid: string,
  sites: MediaBot[],
  windowMs: number,
): Promise<TrainingFigures> {
  const cpu0 = await workerCpuMs(sfu);
  const bytes0 = await Promise.all(sites.map((b) => bytesSentTo(sfu, sid, b.peerId)));
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const cpu1 = await workerCpuMs(sfu);
  const bytes1 = await Promise.all(sites.map((b) => bytesSentTo(sfu, sid, b.peerId)));
  const seconds = (Date.now() - t0) / 1000;
  const room = sfu.rooms.get(sid);
  return {
    sites: sites.length,
    windowSeconds: Math.round(seconds * 10) / 10,
    workerCpuPercent: Math.round(((cpu1 - cpu0) / 1000 / seconds) * 1000) / 10,
    receiverKbps: bytes1.map((b, i) => Math.round(((b - bytes0[i]!) * 8) / seconds / 100) / 10),
    forwardedVideos: sites.map(
      (b) =>
        [...(room?.peers.get(b.peerId)?.media?.consumers.values() ?? [])].filter(
          (c) => c.kind === 'video' && !c.paused && !c.producerPaused,
        ).length,
    ),
  };
}
