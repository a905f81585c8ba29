import { Device } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';
import {
  capabilitiesDigest,
  LINE_RTT_MS,
  type Ack,
  type JoinResult,
  type ResumeResult,
  type SignallingRequest,
  type TransportInfo,
} from '@caunoi/shared';
import { dtlsCertificate, type DtlsCertificate } from './dtls-certificate';
import { markJoinStep } from './marks';
import { rememberCapabilities, rememberedCapabilities, type Placement } from './placement-memory';
import { planResume } from './resume';
import type { Handshake } from './signalling';
import { maySend } from './training';
import { createTransport, IceRecovery, openTransport } from './transport';
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
  /** What is known of the line at a join (link memory, network estimates), read once per join. */
  line: () => LineAtJoin;
}

export interface LineAtJoin {
  /** The line is known or seen to be weak: the SFU and our camera start with a low estimate. */
  weak: boolean;
  /** bit/s: where the line's measure says the SFU's estimate should start (none: unmeasured). */
  startBitrate?: number;
  /** ms: the line's round trip as the page's own requests measured it, before any media. */
  rttMs?: number;
}

/** Resolves when the transport is connected, or after `ms` anyway. */
function connected(transport: ms.Transport, ms: number): Promise<void> {
  if (transport.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      transport.removeListener('connectionstatechange', onState);
      resolve();
    }
    function onState(state: string) {
      if (state === 'connected' || state === 'failed' || state === 'closed') done();
    }
    transport.on('connectionstatechange', onState);
  });
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

type JoinAnswer = JoinResult & { peerId?: string; self?: { id: string } };

/** A join made before the connection, for its handshake (`auth.join`). */
interface PreparedJoin {
  device: Device;
  digest: string;
  weak: boolean;
  certificate: DtlsCertificate | null;
  request: SignallingRequest<'join'>;
}

/** What one connection's handshake presented, and what the SFU sent in reply. */
interface Opening {
  place: Placement;
  join: PreparedJoin | null;
  /** `joined` (the answer to that join), or null once the SFU sent its capabilities instead. */
  answer: ReturnType<typeof deferred<Ack<JoinAnswer> | null>>;
  caps: ReturnType<typeof deferred<ms.RtpCapabilities>>;
}

/** How long a join presented in the handshake may go unanswered before it is asked again. */
const HANDSHAKE_JOIN_WAIT_MS = 10_000;

/**
 * Building the media on a signalling connection, and keeping it across a reconnect. On every
 * (re)connect the SFU is asked (`resume`) whether it still holds our transports: if so the media
 * is kept (no second dropout after a short outage), otherwise the whole setup is redone, so a
 * dropped link or an SFU restart heals itself. ICE trouble is handled with restartIce.
 * A sequence number makes a newer setup win over one still in flight.
 */
export class MediaSetup {
  private device: Device | null = null;
  /** The digest of the router capabilities `device` was loaded with. */
  private deviceDigest = '';
  private readonly ice = new IceRecovery();
  private seq = 0;
  /** The line is known or seen to be weak: read once per join (host.line). */
  private weak = false;
  /** What the current connection's handshake presented (set as it goes out). */
  private opening: Opening | null = null;
  /** The certificate whose fingerprints the last join gave for its transports. */
  private certificate: DtlsCertificate | null = null;

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

  /**
   * What the next connection's handshake presents. A connection that will need a join (no
   * transports to keep) carries it when the router's capabilities are known — the Device's,
   * or those kept from the last join on that node — and the SFU answers with `joined`.
   */
  async handshake(place: Placement, peerId: string | null): Promise<Handshake> {
    const opening: Opening = { place, join: null, answer: deferred(), caps: deferred() };
    if (!this.send.transport && !this.recv.transport && !this.host.isClosed())
      opening.join = await this.prepareJoin(place).catch(() => null);
    const join = opening.join
      ? { routerCapabilities: opening.join.digest, request: opening.join.request }
      : undefined;
    return {
      peerId,
      // With a join, too: an SFU that does not take it (other capabilities, or an older SFU
      // that knows no `auth.join`) sends them, which tells the client to join the usual way.
      capabilities: !this.device || !!join,
      join,
      presented: () => (this.opening = opening),
    };
  }

  private async prepareJoin(place: Placement): Promise<PreparedJoin | null> {
    let device = this.device;
    let digest = this.deviceDigest;
    if (!device) {
      const kept = rememberedCapabilities<ms.RtpCapabilities>(place);
      if (!kept) return null;
      device = new Device();
      await device.load({ routerRtpCapabilities: kept });
      digest = capabilitiesDigest(kept);
    }
    const line = this.host.line();
    const certificate = await dtlsCertificate();
    const request = this.joinRequest(device, line, certificate);
    return { device, digest, weak: line.weak, certificate, request };
  }

  private joinRequest(
    device: Device,
    line: LineAtJoin,
    certificate: DtlsCertificate | null,
  ): SignallingRequest<'join'> {
    // One trip: the SFU opens both transports and consumes what the room already sends in the
    // join itself (an older SFU ignores the asks and answers as before: then one request each).
    return {
      displayName: this.host.displayName,
      rtpCapabilities: device.recvRtpCapabilities as SignallingRequest<'join'>['rtpCapabilities'],
      transports: { send: true, recv: true },
      consume: true,
      ...(line.weak ? { weakLink: true } : {}),
      ...(line.startBitrate ? { startBitrate: line.startBitrate } : {}),
      ...(line.rttMs
        ? {
            lineRttMs: Math.min(LINE_RTT_MS.max, Math.max(LINE_RTT_MS.min, Math.round(line.rttMs))),
          }
        : {}),
      ...(certificate ? { dtlsFingerprints: certificate.fingerprints } : {}),
    };
  }

  /** The answer to the join this connection's handshake carried: null when the SFU did not
   * take it (it sent its capabilities, refused it, or said nothing in time). */
  private async joinedInHandshake(opening: Opening): Promise<JoinAnswer | null> {
    const ack = await Promise.race([
      opening.answer.promise,
      new Promise<null>((r) => setTimeout(() => r(null), HANDSHAKE_JOIN_WAIT_MS)),
    ]);
    return ack?.ok ? ack.data : null;
  }

  /** (Re)build the whole media setup on a fresh socket connection. */
  async setup(): Promise<void> {
    const host = this.host;
    if (host.isClosed()) return;
    const seq = ++this.seq;
    this.teardown();
    const opening = this.opening;
    try {
      // Producers announced before the recv transport exists wait in the receive side.
      this.recv.clearPending();
      this.recv.joinSent();
      const prepared = opening?.join ?? null;
      // The handshake's join answers one setup: a later one on this connection (a retry, a lost
      // transport) joins with a request.
      if (opening) opening.join = null;
      let joined = prepared ? await this.joinedInHandshake(opening!) : null;
      if (seq !== this.seq) return;
      if (joined && prepared) {
        this.device = prepared.device;
        this.deviceDigest = prepared.digest;
        this.weak = prepared.weak;
        this.certificate = prepared.certificate;
      } else {
        // A join the SFU did not take was made with capabilities it no longer has.
        if (prepared) this.device = null;
        if (!this.device) {
          const caps = await this.routerCapabilities(opening);
          const device = new Device();
          await device.load({ routerRtpCapabilities: caps });
          this.device = device;
          this.deviceDigest = capabilitiesDigest(caps);
        }
        this.recv.clearPending();
        this.recv.joinSent();
        const line = host.line();
        this.weak = line.weak;
        this.certificate = await dtlsCertificate();
        joined = await host.request<JoinAnswer>(
          'join',
          this.joinRequest(this.device, line, this.certificate),
        );
      }
      const device = this.device!;
      if (seq !== this.seq) return;
      markJoinStep('joined');
      const selfPeerId = joined.peerId ?? joined.self?.id ?? null;
      this.recv.joined(joined.peers ?? [], selfPeerId);
      const training = joined.training ?? null;
      this.send.allowed = maySend(training, selfPeerId);
      host.update({ selfPeerId, recording: !!joined.recording?.recording, training });
      if (joined.transports?.recv && joined.transports.send)
        return await this.setupFromJoin(seq, device, joined);
      this.recv.attach(device, await this.createTransport('recv'), this.weak);
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
      await this.send.produceLocal({ mic: micOn, camera: cameraOn, startKbps: this.startKbps() });
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

  /**
   * The rest of a one-trip join: the transports and consumers are already on the SFU. The voices
   * are adopted first (they flow as soon as DTLS is up), then our microphone; our camera waits
   * until the receive transport is up (or 3 s), since on a thin uplink its first seconds of
   * video would queue ahead of the DTLS handshake; then the videos are resumed.
   */
  private async setupFromJoin(seq: number, device: Device, joined: JoinResult): Promise<void> {
    const host = this.host;
    const recv = this.openTransport(device, 'recv', joined.transports!.recv!, this.certificate);
    this.recv.attach(device, recv, this.weak);
    this.send.attach(
      device,
      this.openTransport(device, 'send', joined.transports!.send!, this.certificate),
    );
    const byId = new Map((joined.producers ?? []).map((p) => [p.id, p]));
    const given = joined.consumers ?? [];
    // On a weak line the videos start one at a time: each begins with a key frame, and two at
    // once overflow a 128 kbit/s queue and take a third of the voices' packets with them.
    let started = 0;
    const adopt = async (kind: 'audio' | 'video') => {
      for (const c of given.filter((c) => c.kind === kind)) {
        const waitTurn = kind === 'video' && this.weak && started++ > 0;
        const p = byId.get(c.producerId) ?? {
          id: c.producerId,
          peerId: c.peerId ?? '',
          kind: c.kind,
          appData: { source: kind === 'audio' ? ('mic' as const) : ('camera' as const) },
        };
        if (await this.recv.adopt(c, p, c.paused, waitTurn)) host.update();
      }
    };
    void connected(recv, 30_000).then(() => {
      if (recv.connectionState === 'connected') markJoinStep('recv-connected');
    });
    await adopt('audio');
    markJoinStep('voices-adopted');
    if (seq !== this.seq) return;
    if (host.snapshot().audioOnly)
      await host.request('setAudioOnly', { enabled: true }).catch(() => undefined);
    const { micOn, cameraOn } = host.snapshot();
    const camera = cameraOn ? connected(recv, 3000) : Promise.resolve();
    await this.send.produceLocal({
      mic: micOn,
      camera: cameraOn,
      startKbps: this.startKbps(),
      cameraLater: cameraOn,
    });
    await adopt('video');
    // Producers the SFU listed without a consumer, and those announced meanwhile.
    const rest = [...(joined.producers ?? []), ...this.recv.takePending()].filter(
      (p) => !given.some((c) => c.producerId === p.id),
    );
    for (const p of rest) if (await this.recv.consume(p, host.snapshot().selfPeerId)) host.update();
    await camera;
    if (seq !== this.seq) return;
    if (cameraOn && host.snapshot().cameraOn)
      await this.send.produceCamera(this.startKbps()).catch(() => undefined);
    if (seq === this.seq) host.update({ state: 'connected', error: null });
  }

  private startKbps(): number {
    return this.weak ? 100 : 300;
  }

  /** The router's capabilities: sent by the SFU right after connecting when asked in the
   * handshake (`auth.capabilities`); asked for only if they do not come (an older SFU). Kept for
   * the next join on that node. */
  private async routerCapabilities(opening: Opening | null): Promise<ms.RtpCapabilities> {
    const pushed = opening
      ? await Promise.race([
          opening.caps.promise,
          new Promise<null>((r) => setTimeout(() => r(null), 1500)),
        ])
      : null;
    const caps =
      pushed ?? (await this.host.request<ms.RtpCapabilities>('getRouterRtpCapabilities'));
    if (opening) rememberCapabilities(opening.place, caps);
    return caps;
  }

  /** The SFU's `routerRtpCapabilities` event: a join in the handshake was not taken. */
  capabilitiesArrived(caps: ms.RtpCapabilities): void {
    this.opening?.caps.resolve(caps);
    this.opening?.answer.resolve(null);
  }

  /** The SFU's `joined` event: the answer to the join the handshake carried. */
  joinedArrived(ack: Ack<JoinAnswer>): void {
    this.opening?.answer.resolve(ack);
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
    return this.watch(await createTransport(this.device!, direction, this.host.request));
  }

  private openTransport(
    device: Device,
    direction: 'send' | 'recv',
    info: TransportInfo,
    certificate?: DtlsCertificate | null,
  ) {
    return this.watch(openTransport(device, direction, info, this.host.request, certificate));
  }

  private watch(transport: ms.Transport): ms.Transport {
    const host = this.host;
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
