import type { Device, types as ms } from 'mediasoup-client';
import type { MediaSource } from '@caunoi/shared';
import { cameraEncodings, MIC_CODEC_OPTIONS } from './devices';
import { holdCamera, uplinkEstimateKbps } from './link-control';
import type { SignalRequest, VoiceSendStat } from './types';

/** Simulcast layers that the captured camera can feed (3 at 720p; see devices.ts). */
function cameraEncodingsFor(track: MediaStreamTrack): ms.RtpEncodingParameters[] {
  return cameraEncodings(track.getSettings?.().height);
}

/**
 * The send side of a conference: our producers (mic, camera, screen) on the send transport, the
 * person's mute switches and the uplink policy that holds the camera back on a starved line.
 * The screen stream outlives a rebuild of the media (it is produced again on the new transport).
 */
export class SendSide {
  private device: Device | null = null;
  private send: ms.Transport | null = null;
  private readonly producers = new Map<MediaSource, ms.Producer>();
  /** The camera is held back by the uplink policy (not by the person). */
  private cameraHeld = false;
  /** When the camera started sending: the estimate needs a while to ramp up before it is judged. */
  private cameraSince = 0;
  private screenStream: MediaStream | null = null;
  /** False in a training room without the floor: nothing is produced (the SFU would refuse it). */
  allowed = true;

  constructor(
    private readonly request: SignalRequest,
    private readonly stream: MediaStream,
  ) {}

  get transport(): ms.Transport | null {
    return this.send;
  }

  get uplinkLimited(): boolean {
    return this.cameraHeld;
  }

  attach(device: Device, transport: ms.Transport): void {
    this.device = device;
    this.send = transport;
  }

  /**
   * Produces what the person sends, in the state the switches are in. `startKbps`: where the
   * browser's estimate for the camera starts (low on a line known to be weak); `cameraLater`:
   * the camera is produced afterwards with `produceCamera`.
   */
  async produceLocal(on: {
    mic: boolean;
    camera: boolean;
    startKbps?: number;
    cameraLater?: boolean;
  }): Promise<void> {
    const send = this.send;
    if (!send || !this.allowed) return;
    const audio = this.stream.getAudioTracks()[0];
    if (audio) {
      const p = await send.produce({
        track: audio,
        codecOptions: MIC_CODEC_OPTIONS,
        appData: { source: 'mic' },
        stopTracks: false,
      });
      if (!on.mic) p.pause();
      this.producers.set('mic', p);
    }
    const video = this.stream.getVideoTracks()[0];
    if (video && !on.cameraLater && this.device?.canProduce('video')) {
      const p = await send.produce({
        track: video,
        encodings: cameraEncodingsFor(video),
        codecOptions: { videoGoogleStartBitrate: on.startKbps ?? 300 },
        appData: { source: 'camera' },
        stopTracks: false,
      });
      if (!on.camera) {
        p.pause();
        await this.request('pauseProducer', { producerId: p.id }).catch(() => undefined);
      }
      this.producers.set('camera', p);
      this.cameraSince = Date.now();
    }
    const screen = this.screenStream?.getVideoTracks()[0];
    if (screen && screen.readyState === 'live') {
      const p = await send.produce({
        track: screen,
        appData: { source: 'screen' },
        stopTracks: false,
      });
      this.producers.set('screen', p);
    }
  }

  /** The camera alone, switched on (produced later than the microphone on a one-trip join). */
  async produceCamera(startKbps: number): Promise<void> {
    const video = this.stream.getVideoTracks()[0];
    if (!this.send || !this.allowed || !video || this.producers.has('camera')) return;
    if (!this.device?.canProduce('video')) return;
    const p = await this.send.produce({
      track: video,
      encodings: cameraEncodingsFor(video),
      codecOptions: { videoGoogleStartBitrate: startKbps },
      appData: { source: 'camera' },
      stopTracks: false,
    });
    this.producers.set('camera', p);
    this.cameraSince = Date.now();
  }

  async setMic(on: boolean): Promise<void> {
    const p = this.producers.get('mic');
    this.stream.getAudioTracks().forEach((t) => (t.enabled = on));
    if (!p) return;
    if (on) p.resume();
    else p.pause();
    await this.request(on ? 'resumeProducer' : 'pauseProducer', { producerId: p.id }).catch(
      () => undefined,
    );
  }

  async setCamera(on: boolean): Promise<void> {
    const p = this.producers.get('camera');
    // The person decides: turning the camera on starts again, judged afresh after a while.
    this.cameraHeld = false;
    this.cameraSince = Date.now();
    this.stream.getVideoTracks().forEach((t) => (t.enabled = on));
    if (p) {
      if (on) p.resume();
      else p.pause();
      await this.request(on ? 'resumeProducer' : 'pauseProducer', { producerId: p.id }).catch(
        () => undefined,
      );
    } else if (on && this.send && this.allowed) {
      const video = this.stream.getVideoTracks()[0];
      if (video) {
        const np = await this.send.produce({
          track: video,
          encodings: cameraEncodingsFor(video),
          appData: { source: 'camera' },
          stopTracks: false,
        });
        this.producers.set('camera', np);
      }
    }
  }

  /** Holds the camera back while the uplink estimate cannot carry even its lowest layer. */
  async adaptCamera(cameraOn: boolean, audioOnly: boolean): Promise<boolean> {
    const camera = this.producers.get('camera');
    if (!camera || !cameraOn || audioOnly) return false;
    if (Date.now() - this.cameraSince < 10_000) return false;
    const hold = holdCamera(await uplinkEstimateKbps(this.send), this.cameraHeld);
    if (hold === this.cameraHeld) return false;
    this.cameraHeld = hold;
    if (hold) camera.pause();
    else camera.resume();
    await this.request(hold ? 'pauseProducer' : 'resumeProducer', { producerId: camera.id }).catch(
      () => undefined,
    );
    return true;
  }

  /** Shares a screen (or window) the person picks; it stops by itself when the browser ends it. */
  async startScreenShare(onEnded: () => void): Promise<MediaStream> {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    this.screenStream = stream;
    if (this.send) {
      const p = await this.send.produce({
        track,
        appData: { source: 'screen' },
        stopTracks: false,
      });
      this.producers.set('screen', p);
    }
    track.addEventListener('ended', onEnded);
    return stream;
  }

  async stopScreenShare(): Promise<void> {
    const p = this.producers.get('screen');
    if (p) {
      p.close();
      this.producers.delete('screen');
      await this.request('closeProducer', { producerId: p.id }).catch(() => undefined);
    }
    this.releaseScreen();
  }

  releaseScreen(): void {
    this.screenStream?.getTracks().forEach((t) => t.stop());
    this.screenStream = null;
  }

  /** What our voice has sent so far, resends included (diagnostics); null without a voice. */
  async voiceStats(): Promise<VoiceSendStat | null> {
    const p = this.producers.get('mic');
    if (!p || p.closed) return null;
    let out: VoiceSendStat | null = null;
    try {
      (await p.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'outbound-rtp') return;
        const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
        out = {
          packetsSent: n('packetsSent'),
          retransmittedPacketsSent: n('retransmittedPacketsSent'),
          nackCount: n('nackCount'),
        };
      });
    } catch {
      return null;
    }
    return out;
  }

  /** The floor was taken back: the SFU closed our producers; close ours and stop sharing. */
  dropProducers(): void {
    for (const p of this.producers.values()) p.close();
    this.producers.clear();
    this.releaseScreen();
  }

  /** Every producer and the send transport closed (a rebuild or the end). */
  reset(): void {
    this.cameraHeld = false;
    for (const p of this.producers.values()) p.close();
    this.producers.clear();
    this.send?.close();
    this.send = null;
  }
}
