import { Device } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';
import type { JoinResult, ResumeResult } from '@caunoi/shared';
import { planResume } from './resume';
import { maySend } from './training';
import { createTransport, IceRecovery } from './transport';
import type { ReceiveSide } from './receive-side';
import type { SendSide } from './send-side';
import type { ConferenceSnapshot, SignalRequest } from './types';

/** What the setup needs of the client around it. */
export interface SetupHost {
  request: SignalRequest;
  snapshot(): ConferenceSnapshot;
  update(patch?: Partial<ConferenceSnapshot>): void;
  isClosed(): boolean;
  isConnected(): boolean;
  displayName: string;
}

/**
 * Building the media on a signalling connection, and keeping it across a reconnect. On every
 * (re)connect the SFU is asked (`resume`) whether it still holds our transports: if so the media
 * is kept (no second dropout after a short outage), otherwise the whole setup is redone, so a
 * dropped link or an SFU restart heals itself. ICE trouble is handled with restartIce.
 * A sequence number makes a newer setup win over one still in flight.
 */
export class MediaSetup {
  private device: Device | null = null;
  private readonly ice = new IceRecovery();
  private seq = 0;

  constructor(
    private readonly host: SetupHost,
    private readonly send: SendSide,
    private readonly recv: ReceiveSide,
  ) {}

  /** A (re)connected socket: keep the media the SFU still holds for us, else rebuild it. */
  async onConnect(): Promise<void> {
    const send = this.send.transport;
    const recv = this.recv.transport;
    if (!send || !recv || this.host.isClosed()) return this.setup();
    const seq = this.seq;
    const answer = await this.host.request<ResumeResult>('resume').catch(() => null);
    if (seq !== this.seq || this.host.isClosed()) return; // a rejoin is already rebuilding
    const plan = planResume(
      {
        selfPeerId: this.host.snapshot().selfPeerId,
        sendTransportId: send.closed ? null : send.id,
        recvTransportId: recv.closed ? null : recv.id,
        consumerIds: this.recv.consumerIds(),
      },
      answer,
    );
    if (!plan.keep) return this.setup();
    for (const id of plan.dropConsumers) this.recv.drop(id);
    const live = send.connectionState === 'connected' && recv.connectionState === 'connected';
    this.host.update(live ? { state: 'connected', error: null } : {});
  }

  /** (Re)build the whole media setup on a fresh socket connection. */
  async setup(): Promise<void> {
    const host = this.host;
    if (host.isClosed()) return;
    const seq = ++this.seq;
    this.teardown();
    try {
      if (!this.device) {
        const caps = await host.request<ms.RtpCapabilities>('getRouterRtpCapabilities');
        const device = new Device();
        await device.load({ routerRtpCapabilities: caps });
        this.device = device;
      }
      const device = this.device;
      // Join first (the SFU learns our capabilities), then open transports; producers announced
      // before the recv transport exists wait in the receive side.
      this.recv.clearPending();
      const joined = await host.request<JoinResult & { peerId?: string; self?: { id: string } }>(
        'join',
        { displayName: host.displayName, rtpCapabilities: device.recvRtpCapabilities },
      );
      if (seq !== this.seq) return;
      const selfPeerId = joined.peerId ?? joined.self?.id ?? null;
      this.recv.joined(joined.peers ?? [], selfPeerId);
      const training = joined.training ?? null;
      this.send.allowed = maySend(training, selfPeerId);
      host.update({ selfPeerId, recording: !!joined.recording?.recording, training });
      this.recv.attach(device, await this.createTransport('recv'));
      if (seq !== this.seq) return;
      // Voices first, then our own media, then the videos: every request is a round trip, which
      // on a 3G line (300–800 ms with a full queue) would otherwise keep the room silent for
      // seconds. The send transport is opened only after the voices are in.
      const initial = [...(joined.producers ?? []), ...this.recv.takePending()];
      const consumeAll = async (kind: 'audio' | 'video') => {
        for (const p of initial.filter((p) => p.kind === kind))
          if (await this.recv.consume(p, host.snapshot().selfPeerId)) host.update();
      };
      await consumeAll('audio');
      this.send.attach(device, await this.createTransport('send'));
      if (seq !== this.seq) return;
      if (host.snapshot().audioOnly)
        await host.request('setAudioOnly', { enabled: true }).catch(() => undefined);
      const { micOn, cameraOn } = host.snapshot();
      await this.send.produceLocal({ mic: micOn, camera: cameraOn });
      await consumeAll('video');
      if (seq === this.seq) host.update({ state: 'connected', error: null });
    } catch (err) {
      if (seq !== this.seq || host.isClosed()) return;
      host.update({ state: 'reconnecting', error: (err as Error).message });
      // Try again on the same socket after a pause; a dropped socket triggers its own setup.
      setTimeout(() => {
        if (seq === this.seq && host.isConnected() && !host.isClosed()) void this.setup();
      }, 2000);
    }
  }

  /** Ends any setup in flight (the client is closing). */
  cancel(): void {
    this.seq++;
  }

  teardown(): void {
    this.recv.reset();
    this.send.reset();
    this.ice.clear();
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<ms.Transport> {
    const host = this.host;
    const transport = await createTransport(this.device!, direction, host.request);
    this.ice.watch(transport, {
      onConnected: () => {
        if (host.isClosed()) return;
        if (host.snapshot().state === 'reconnecting' && host.isConnected())
          host.update({ state: 'connected', error: null });
      },
      onTrouble: () => {
        if (!host.isClosed()) host.update({ state: 'reconnecting' });
        return !host.isClosed();
      },
      restartIce: () => host.request<ms.IceParameters>('restartIce', { transportId: transport.id }),
      // Only for a transport still in use: the rebuild's teardown makes the other one stale.
      onLost: () => {
        const current = this.send.transport === transport || this.recv.transport === transport;
        if (current && host.isConnected() && !host.isClosed()) void this.setup();
      },
    });
    return transport;
  }
}
