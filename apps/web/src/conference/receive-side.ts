import type { Device, types as ms } from 'mediasoup-client';
import type { ConsumerInfo, MediaSource, PeerInfo, ProducerInfo } from '@caunoi/shared';
import {
  packetsBetween,
  qualityFromSamples,
  qualityFromScore,
  worst,
  type Quality,
  type RtpSample,
} from './quality';
import { markJoinStep } from './marks';
import { readReceiverStats } from './receiver-stats';
import {
  LinkController,
  nominatedPairFigure,
  type ControlledConsumer,
  type LinkWindowRecord,
} from './link-control';
import {
  appliedVoiceBufferMs,
  VOICE_BUFFER_SETTLE_MS,
  voiceBufferMs,
  voiceFlow,
  type VoiceFlow,
} from './voice-buffer';
import type { LinkMode } from './link-policy';
import type { ReceiverStat, RemotePeer, RemoteTrack, SignalRequest } from './types';

/** The SFU's score event: a number (old form) or the consumer's and its producer's scores. */
export interface ScoreEvent {
  consumerId?: string;
  score?: number | { score?: number; producerScore?: number };
}

/**
 * The receive side of a conference: the other sites, one consumer per remote producer on the recv
 * transport, each stream's quality (the SFU's score and our own inbound samples) and the downlink
 * policy that decides which videos to receive. It does not notify anyone: the client publishes a
 * snapshot after each change.
 */
export class ReceiveSide {
  private device: Device | null = null;
  private recv: ms.Transport | null = null;
  private readonly peers = new Map<string, PeerInfo>();
  private readonly consumers = new Map<string, ControlledConsumer>();
  private readonly link = new LinkController();
  private readonly quality = new Map<string, Quality>(); // by consumer id, from the SFU's score
  /** The sender's own view of its line, per consumer: the SFU's producer score (0..10). */
  private readonly producerScores = new Map<string, number>();
  private readonly samples = new Map<string, RtpSample>();
  private readonly sampleQuality = new Map<string, Quality>();
  /** The playout buffer set on each lossy voice (voice-buffer.ts), ms. */
  private readonly voiceBuffers = new Map<string, number>();
  /** Whether each voice is arriving (voice-buffer.ts): a returning voice plays at once. */
  private readonly voiceFlows = new Map<string, VoiceFlow>();
  /** Until then a voice's buffer is still growing, and its concealment is ours, not the line's. */
  private voicesSettleUntil = 0;
  /** Producers announced before the recv transport exists; consumed once it does. */
  private pending: ProducerInfo[] = [];

  constructor(private readonly request: SignalRequest) {}

  get transport(): ms.Transport | null {
    return this.recv;
  }

  get linkMode(): LinkMode {
    return this.link.mode;
  }

  consumerIds(): string[] {
    return [...this.consumers.keys()];
  }

  /** `weakLink`: the line is known to be weak; the downlink policy starts in weak mode. */
  attach(device: Device, transport: ms.Transport, weakLink = false): void {
    this.device = device;
    this.recv = transport;
    this.link.reset(weakLink);
    this.voiceHeard = false;
  }

  /** A remote voice's first packet arrived since the last attach (the join's last step). */
  private voiceHeard = false;

  /** Marks `first-voice` when the first remote voice of this join starts (its track unmutes as
   * its first packet arrives): what a join waits for, without polling statistics. */
  private watchFirstVoice(track: MediaStreamTrack): void {
    track.addEventListener(
      'unmute',
      () => {
        if (this.voiceHeard) return;
        this.voiceHeard = true;
        markJoinStep('first-voice');
      },
      { once: true },
    );
  }

  /** Sites announced (peerJoined) since our join request left: the answer predates them. */
  private announcedWhileJoining = new Map<string, PeerInfo>();
  private joining = false;

  /** Our join request is on its way: remember who arrives meanwhile. */
  joinSent(): void {
    this.joining = true;
    this.announcedWhileJoining.clear();
  }

  /**
   * The room as the join answer lists it (ourselves excluded), plus whoever was announced while
   * the request was on its way: the SFU computed the answer before they arrived, so it does not
   * list them, and their own announcement came first — without this a site arriving at the same
   * moment (both sides of an emergency claim) is shown nameless.
   */
  joined(peers: PeerInfo[], selfPeerId: string | null): void {
    this.peers.clear();
    for (const p of peers) this.peers.set(p.id, p);
    for (const p of this.announcedWhileJoining.values()) this.peers.set(p.id, p);
    this.announcedWhileJoining.clear();
    this.joining = false;
    if (selfPeerId) this.peers.delete(selfPeerId);
  }

  /** Producers that were announced while the transports were being opened. */
  takePending(): ProducerInfo[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  clearPending(): void {
    this.pending = [];
  }

  peerJoined(p: PeerInfo): void {
    this.peers.set(p.id, p);
    if (this.joining) this.announcedWhileJoining.set(p.id, p);
  }

  peerLeft(peerId: string): void {
    this.peers.delete(peerId);
    this.announcedWhileJoining.delete(peerId);
    for (const [id, c] of this.consumers) if (c.peerId === peerId) this.drop(id);
  }

  producerClosed(producerId: string): void {
    for (const [id, c] of this.consumers) if (c.consumer.producerId === producerId) this.drop(id);
  }

  producerPaused(producerId: string, paused: boolean): void {
    for (const c of this.consumers.values()) {
      if (c.consumer.producerId === producerId) c.producerPaused = paused;
    }
  }

  /** The SFU's governor paused (or released) a video to keep our audio; returns whether known. */
  videoHeld(consumerId: string, held: boolean): boolean {
    const c = this.consumers.get(consumerId);
    if (!c || c.consumer.kind !== 'video') return false;
    c.heldBySfu = held;
    return true;
  }

  /** Returns whether the score was usable. */
  score(e: ScoreEvent): boolean {
    const value = typeof e.score === 'number' ? e.score : e.score?.score;
    if (!e.consumerId || typeof value !== 'number') return false;
    this.quality.set(e.consumerId, qualityFromScore(value));
    const producerScore = typeof e.score === 'object' ? e.score?.producerScore : undefined;
    if (typeof producerScore === 'number') this.producerScores.set(e.consumerId, producerScore);
    return true;
  }

  /** Returns whether a consumer was added. */
  async consume(p: ProducerInfo, selfPeerId: string | null): Promise<boolean> {
    const recv = this.recv;
    if (!recv || !this.device) {
      this.pending.push(p);
      return false;
    }
    if (p.peerId && p.peerId === selfPeerId) return false;
    if ([...this.consumers.values()].some((c) => c.consumer.producerId === p.id)) return false;
    try {
      const info = await this.request<ConsumerInfo>('consume', {
        transportId: recv.id,
        producerId: p.id,
        rtpCapabilities: this.device.recvRtpCapabilities,
      });
      return await this.adopt(info, p, true);
    } catch {
      return false; // the producer may have closed meanwhile
    }
  }

  /**
   * The client side of a consumer the SFU made (answer to `consume`, or in the one-trip join);
   * `resumeOnSfu`: it is still paused there and waits for us (audio from the join is not).
   */
  async adopt(
    info: ConsumerInfo,
    p: ProducerInfo,
    resumeOnSfu: boolean,
    waitTurn = false,
  ): Promise<boolean> {
    const recv = this.recv;
    if (!recv) return false;
    if ([...this.consumers.values()].some((c) => c.consumer.producerId === info.producerId))
      return false;
    try {
      const consumer = await recv.consume({
        id: info.id,
        producerId: info.producerId,
        kind: info.kind,
        rtpParameters: info.rtpParameters as ms.RtpParameters,
      });
      const peerId = info.peerId ?? p.peerId;
      const source = ((info.appData?.source as MediaSource | undefined) ??
        p.appData?.source ??
        (info.kind === 'audio' ? 'mic' : 'camera')) as MediaSource;
      if (info.kind === 'audio') this.watchFirstVoice(consumer.track);
      // Waiting its turn: paused here and left paused on the SFU; the link policy resumes it.
      if (waitTurn) consumer.pause();
      this.consumers.set(consumer.id, {
        consumer,
        peerId,
        source,
        producerPaused: !!p.paused,
        ...(waitTurn ? { heldForLink: true, waiting: true } : {}),
      });
      if (!this.peers.has(peerId))
        this.peers.set(peerId, {
          id: peerId,
          userId: '',
          displayName: '',
          facility: { id: null, name: '' },
        });
      if (resumeOnSfu && !waitTurn)
        await this.request('resumeConsumer', { consumerId: consumer.id });
      return true;
    } catch {
      return false; // the producer may have closed meanwhile
    }
  }

  drop(id: string): void {
    const c = this.consumers.get(id);
    if (!c) return;
    c.consumer.close();
    this.consumers.delete(id);
    this.quality.delete(id);
    this.samples.delete(id);
    this.sampleQuality.delete(id);
    this.producerScores.delete(id);
    this.voiceBuffers.delete(id);
    this.voiceFlows.delete(id);
  }

  /** Audio-only: remote videos paused here (the SFU stops sending them on its side). */
  setAudioOnly(enabled: boolean): void {
    for (const c of this.consumers.values()) {
      if (c.consumer.kind !== 'video') continue;
      if (enabled) c.consumer.pause();
      else c.consumer.resume();
    }
  }

  /**
   * One statistics window: quality per remote stream from our own samples (nothing arriving is
   * "poor", whatever the SFU's score says). Returns the reading and whether a quality changed.
   */
  async sample(): Promise<{ inbound: Map<string, ReceiverStat>; changed: boolean }> {
    const inbound = await readReceiverStats(this.consumers);
    let changed = false;
    let rttMs: number | null | undefined; // read once, and only if a voice needs it
    for (const [id, s] of inbound) {
      const sample: RtpSample = {
        packetsReceived: s.packetsReceived,
        packetsLost: s.packetsLost,
        jitter: s.jitter,
        nackCount: s.nackCount,
      };
      const before = this.samples.get(id);
      if (s.kind === 'audio' && before) {
        // Missing packets: lost, or asked for again. Once the SFU repairs the sender's uplink
        // loss, a voice shows almost no loss, yet its repaired packets came too late to play
        // unless buffered; the NACKs we sent for them tell the path is lossy.
        const { lost, received } = packetsBetween(before, sample);
        const asked = Math.max(0, (sample.nackCount ?? 0) - (before.nackCount ?? 0));
        const all = lost + received;
        const lossPct = all > 0 ? (100 * Math.max(lost, asked)) / all : 0;
        if (lossPct > 0 && rttMs === undefined) rttMs = await this.roundTripMs();
        this.bufferVoice(id, lossPct, rttMs ?? null, received);
      }
      const q = qualityFromSamples(before, sample);
      this.samples.set(id, sample);
      if (q !== 'unknown' && q !== this.sampleQuality.get(id)) {
        this.sampleQuality.set(id, q);
        changed = true;
      }
    }
    return { inbound, changed };
  }

  /** Our receive transport's round trip to the SFU, ms (null: not known yet). */
  private async roundTripMs(): Promise<number | null> {
    const seconds = await nominatedPairFigure(this.recv, 'currentRoundTripTime');
    return seconds === null ? null : seconds * 1000;
  }

  private bufferVoice(
    consumerId: string,
    lossPct: number,
    rttMs: number | null,
    packets: number,
  ): void {
    const receiver = this.consumers.get(consumerId)?.consumer.rtpReceiver as
      (RTCRtpReceiver & { jitterBufferTarget?: number | null }) | undefined;
    if (!receiver || !('jitterBufferTarget' in receiver)) return; // a browser without the knob
    const current = this.voiceBuffers.get(consumerId) ?? null;
    const raised = voiceBufferMs(lossPct, rttMs, current);
    if (raised !== null) this.voiceBuffers.set(consumerId, raised);
    const flow = voiceFlow(this.voiceFlows.get(consumerId) ?? 'flowing', packets);
    this.voiceFlows.set(consumerId, flow);
    const target = appliedVoiceBufferMs(flow, raised);
    if (target === (receiver.jitterBufferTarget ?? null)) return;
    receiver.jitterBufferTarget = target;
    if (target !== null) this.voicesSettleUntil = Date.now() + VOICE_BUFFER_SETTLE_MS;
  }

  linkWindows(): LinkWindowRecord[] {
    return this.link.history();
  }

  /** Milliseconds each remote voice is held for retransmission, by consumer (diagnostics). */
  voiceBufferTargets(): Record<string, number> {
    return Object.fromEntries(this.voiceBuffers);
  }

  /** The downlink policy on that window: which videos to receive, at which layer. */
  applyLinkPolicy(
    inbound: Map<string, ReceiverStat>,
    activeSpeakerId: string | null,
    audioOnly: boolean,
  ): Promise<boolean> {
    const settling = Date.now() < this.voicesSettleUntil;
    return this.link.tick(
      this.consumers,
      inbound,
      activeSpeakerId,
      audioOnly,
      this.request,
      settling,
    );
  }

  async stats(): Promise<ReceiverStat[]> {
    return [...(await readReceiverStats(this.consumers)).values()];
  }

  /** The remote sites as the room shows them. */
  view(): RemotePeer[] {
    return [...this.peers.values()].map((p) => {
      const tracks: RemoteTrack[] = [];
      const qs: Quality[] = [];
      for (const [id, c] of this.consumers) {
        if (c.peerId !== p.id) continue;
        tracks.push({
          consumerId: id,
          producerId: c.consumer.producerId,
          kind: c.consumer.kind as 'audio' | 'video',
          source: c.source,
          track: c.consumer.track,
          paused: c.producerPaused || c.consumer.paused || !!c.heldBySfu,
          heldForLink: !!c.heldForLink || !!c.heldBySfu,
          heldBySfu: !!c.heldBySfu,
        });
        if (!c.producerPaused && !c.heldForLink && !c.heldBySfu)
          qs.push(
            worst(this.quality.get(id) ?? 'unknown', this.sampleQuality.get(id) ?? 'unknown'),
          );
      }
      const weakLink = [...this.consumers].some(
        ([id, c]) =>
          c.peerId === p.id && !c.producerPaused && (this.producerScores.get(id) ?? 10) <= 4,
      );
      return { ...p, tracks, quality: worst(...qs), weakLink };
    });
  }

  /** Every consumer and the recv transport closed (a rebuild or the end); the peers stay. */
  reset(): void {
    this.link.reset();
    for (const id of [...this.consumers.keys()]) this.drop(id);
    this.recv?.close();
    this.recv = null;
  }
}
