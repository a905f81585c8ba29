import type { Socket } from 'socket.io-client';
import type { types as ms } from 'mediasoup-client';
import type {
  Ack,
  JoinResponse,
  JoinResult,
  PeerInfo,
  ProducerInfo,
  RecordingStateEvent,
  SignallingRequestName,
  TrainingState,
  VideoHeldEvent,
} from '@caunoi/shared';
import type { LinkWindowRecord } from './link-control';
import {
  browserConnection,
  lineLooksWeak,
  LinkMemory,
  pageConnection,
  pageStartBitrate,
  type ConnectionEstimate,
} from './link-memory';
import { markJoinStep } from './marks';
import { MediaSetup } from './media-setup';
import { ReceiveSide, type ScoreEvent } from './receive-side';
import { SendSide } from './send-side';
import { rememberedPlacement, rememberPlacement, type Placement } from './placement-memory';
import { openAhead, openSignalling, signal } from './signalling';
import { maySend } from './training';
import type {
  ConferenceOptions,
  ConferenceSnapshot,
  ReceiverStat,
  SignalRequest,
  VoiceSendStat,
} from './types';

/**
 * The media plane of one session room: one socket.io connection to the SFU, a send side (our
 * producers: mic, camera, screen), a receive side (a consumer per remote producer) and the setup
 * that builds both on every (re)connect, keeping them when the SFU still holds them (see
 * media-setup.ts). It knows nothing of React: the hook subscribes to snapshots.
 * socket.io reconnects by itself, fetching a fresh join token each time.
 */

export type {
  ConferenceOptions,
  ConferenceSnapshot,
  ConnectionState,
  ReceiverStat,
  RemotePeer,
  RemoteTrack,
} from './types';

/**
 * Opens the signalling connection to the last join's SFU node ahead of a join (see openAhead):
 * for the room page while its device check is on screen. Returns its closing.
 */
export function connectAhead(): () => void {
  const place = rememberedPlacement();
  return place ? openAhead(place) : () => undefined;
}

export class ConferenceClient {
  private socket: Socket | null = null;
  private readonly request: SignalRequest;
  private readonly send: SendSide;
  private readonly recv: ReceiveSide;
  private readonly media: MediaSetup;
  private readonly listeners = new Set<() => void>();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private snap: ConferenceSnapshot;
  private readonly linkMemory = new LinkMemory();

  constructor(private readonly opts: ConferenceOptions) {
    this.snap = {
      state: 'idle',
      error: null,
      selfPeerId: null,
      peers: [],
      activeSpeakerId: null,
      micOn: opts.stream.getAudioTracks().some((t) => t.enabled),
      cameraOn: !opts.audioOnly && opts.stream.getVideoTracks().length > 0,
      sharing: false,
      audioOnly: opts.audioOnly,
      localStream: opts.stream,
      screenStream: null,
      linkMode: 'normal',
      uplinkLimited: false,
      recording: false,
      training: null,
    };
    const request = <T>(name: SignallingRequestName, data: unknown = {}): Promise<T> =>
      this.socket ? signal<T>(this.socket, name, data) : Promise.reject(new Error('not connected'));
    this.request = request;
    this.send = new SendSide(request, opts.stream);
    this.recv = new ReceiveSide(request);
    this.media = new MediaSetup(
      {
        request,
        snapshot: () => this.snap,
        update: (patch) => this.update(patch),
        isClosed: () => this.closed,
        isConnected: () => !!this.socket?.connected,
        displayName: opts.displayName,
        // Read at each join: by then the page has timed more of its own requests.
        line: () => {
          const page = pageConnection();
          return {
            weak:
              this.linkMemory.weakBefore ||
              lineLooksWeak(browserConnection()) ||
              lineLooksWeak(page),
            // A line measured in a weak session before; else what this page's downloads measured.
            startBitrate: this.linkMemory.startBitrate ?? pageStartBitrate(page),
            // The SFU judges a queue on the line against it (its own measures start queued).
            rttMs: page?.rtt,
          };
        },
      },
      this.send,
      this.recv,
    );
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): ConferenceSnapshot => this.snap;

  private update(patch: Partial<ConferenceSnapshot> = {}): void {
    this.snap = { ...this.snap, peers: this.recv.view(), ...patch };
    for (const l of this.listeners) l();
  }

  async start(): Promise<void> {
    this.update({ state: 'connecting' });
    markJoinStep('start');
    const answer = this.opts.getJoin();
    const handshake = (place: Placement) => this.media.handshake(place, this.snap.selfPeerId);
    const open = (place: Placement) => {
      const s = openSignalling(answer, this.opts.getJoin, handshake, place);
      s.io.once('open', () => markJoinStep('socket-open')); // the WebSocket is up, no token yet
      return s;
    };
    // Towards the last join's node while the answer is on its way (see openSignalling).
    const guess = rememberedPlacement();
    const early = guess ? open(guess) : null;
    let first: JoinResponse;
    try {
      first = await answer;
    } catch (err) {
      early?.disconnect();
      this.update({ state: 'failed', error: (err as Error).message, failure: err });
      throw err;
    }
    if (this.closed) {
      early?.disconnect();
      return; // left (or unmounted) while the join call was in flight
    }
    markJoinStep('token');
    rememberPlacement(first);
    const socket = early ?? open(first);
    this.socket = socket;
    socket.on('routerRtpCapabilities', (caps: ms.RtpCapabilities) => {
      markJoinStep('capabilities');
      this.media.capabilitiesArrived(caps);
    });
    socket.on('joined', (ack: Ack<JoinResult>) => this.media.joinedArrived(ack));
    socket.on('connect', () => {
      markJoinStep('socket-connected');
      void this.media.onConnect();
    });
    socket.on('disconnect', (reason) => {
      if (this.closed) return;
      if (reason === 'io server disconnect') socket.connect();
      this.update({ state: 'reconnecting' });
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'session_ended') return this.halt('session_ended', 'session ended');
      if (!this.closed && this.snap.state !== 'connecting') this.update({ state: 'reconnecting' });
    });
    socket.on('peerJoined', (p: PeerInfo) => {
      this.recv.peerJoined(p);
      this.update();
    });
    socket.on('peerLeft', ({ peerId }: { peerId: string }) => {
      this.recv.peerLeft(peerId);
      this.update(this.snap.activeSpeakerId === peerId ? { activeSpeakerId: null } : {});
    });
    socket.on('newProducer', (p: ProducerInfo) => void this.consume(p));
    socket.on('producerClosed', ({ producerId }: { producerId: string }) => {
      this.recv.producerClosed(producerId);
      this.update();
    });
    socket.on('consumerClosed', ({ consumerId }: { consumerId: string }) => {
      this.recv.drop(consumerId);
      this.update();
    });
    const setPaused = (producerId: string, paused: boolean) => {
      this.recv.producerPaused(producerId, paused);
      this.update();
    };
    socket.on('producerPaused', (e: { producerId: string }) => setPaused(e.producerId, true));
    socket.on('producerResumed', (e: { producerId: string }) => setPaused(e.producerId, false));
    socket.on('activeSpeaker', ({ peerId }: { peerId: string | null }) =>
      this.update({ activeSpeakerId: peerId ?? null }),
    );
    socket.on('score', (e: ScoreEvent) => {
      if (this.recv.score(e)) this.update();
    });
    socket.on('rejoin', () => void this.media.setup());
    socket.on('trainingState', (s: TrainingState) => void this.onTraining(s));
    // The session was ended, or this user's peer continues on another connection (another tab or
    // device): stop for good instead of reconnecting, which would take the peer back.
    socket.on('recordingState', (e: RecordingStateEvent) =>
      this.update({ recording: !!e.recording }),
    );
    socket.on('sessionEnded', () => this.halt('session_ended', 'session ended'));
    socket.on('peerReplaced', () => this.halt('conflict', 'joined from another tab or device'));
    socket.on('videoHeld', (e: VideoHeldEvent) => {
      if (this.recv.videoHeld(e.consumerId, e.held)) this.update();
    });
    this.statsTimer = setInterval(() => void this.pollStats(), 2000);
    if (typeof window !== 'undefined') window.addEventListener('pagehide', this.onPageHide);
  }

  /**
   * The page is going away (reload, tab closed): leave now. Otherwise the SFU keeps this peer for
   * its reconnect grace period and keeps sending its media to a page that is gone — on a commune
   * line that fills the downlink for 30 s and slows the reloaded page's own join to a crawl.
   */
  private readonly onPageHide = (): void => this.close();

  private async consume(p: ProducerInfo): Promise<void> {
    if (await this.recv.consume(p, this.snap.selfPeerId)) this.update();
  }

  /**
   * Every two seconds: link quality per remote stream, the downlink policy (which videos to
   * receive, at which layer) and the camera layers the uplink can carry.
   */
  private async pollStats(): Promise<void> {
    const { inbound, changed: sampled } = await this.recv.sample();
    if (this.closed) return;
    const { activeSpeakerId, audioOnly, cameraOn } = this.snap;
    const relayered = await this.recv.applyLinkPolicy(inbound, activeSpeakerId, audioOnly);
    const held = await this.send.adaptCamera(cameraOn, audioOnly);
    this.linkMemory.observe(this.recv.linkMode);
    let received = 0;
    for (const s of inbound.values()) received += s.bytesReceived;
    this.linkMemory.observeReceived(received, Date.now());
    if (sampled || relayered || held || this.recv.linkMode !== this.snap.linkMode)
      this.update({ linkMode: this.recv.linkMode, uplinkLimited: this.send.uplinkLimited });
  }

  /** The floor moved: start sending when given it, stop when it is taken back. */
  private async onTraining(training: TrainingState): Promise<void> {
    const allowed = maySend(training, this.snap.selfPeerId);
    const was = this.send.allowed;
    this.send.allowed = allowed;
    this.update({ training });
    if (allowed && !was) {
      // Given the floor: speak and show the camera at once (the person may mute afterwards).
      for (const track of this.opts.stream.getTracks()) track.enabled = true;
      await this.send.produceLocal({ mic: true, camera: !this.snap.audioOnly });
      this.update({ micOn: true, cameraOn: !this.snap.audioOnly });
    } else if (!allowed && was) {
      this.send.dropProducers();
      this.update({ sharing: false, screenStream: null });
    }
  }

  /** Training room: ask for the floor (or lower the hand). */
  async raiseHand(raised: boolean): Promise<void> {
    this.update({ training: await this.request<TrainingState>('raiseHand', { raised }) });
  }

  /** Training room, presenter or moderator: give a site the floor, or take it back. */
  async setFloor(peerId: string, granted: boolean): Promise<void> {
    const name = granted ? 'grantFloor' : 'revokeFloor';
    this.update({ training: await this.request<TrainingState>(name, { peerId }) });
  }

  /** What arrives from each remote producer (inbound-rtp), for quality indicators and tests. */
  receiverStats(): Promise<ReceiverStat[]> {
    return this.recv.stats();
  }

  /** What our own voice has sent, resends included (diagnostics: the weak-link benchmark). */
  voiceSendStats(): Promise<VoiceSendStat | null> {
    return this.send.voiceStats();
  }

  /** The downlink policy's last windows and verdicts, and each voice's playout buffer
   * (diagnostics: the weak-link benchmark reads them). */
  linkDiagnostics(): {
    windows: LinkWindowRecord[];
    voiceBufferMs: Record<string, number>;
    estimates: { browser: ConnectionEstimate | null; page: ConnectionEstimate | null };
  } {
    return {
      windows: this.recv.linkWindows(),
      voiceBufferMs: this.recv.voiceBufferTargets(),
      estimates: { browser: browserConnection(), page: pageConnection() },
    };
  }

  async setMic(on: boolean): Promise<void> {
    await this.send.setMic(on);
    this.update({ micOn: on });
  }

  async setCamera(on: boolean): Promise<void> {
    await this.send.setCamera(on);
    this.update({ cameraOn: on });
  }

  /** Audio-only: stop sending and receiving video; audio keeps flowing on a weak link. */
  async setAudioOnly(enabled: boolean): Promise<void> {
    await this.request('setAudioOnly', { enabled }).catch(() => undefined);
    this.recv.setAudioOnly(enabled);
    this.update({ audioOnly: enabled });
    await this.setCamera(!enabled);
  }

  async startScreenShare(): Promise<void> {
    const stream = await this.send.startScreenShare(() => void this.stopScreenShare());
    this.update({ sharing: true, screenStream: stream });
  }

  async stopScreenShare(): Promise<void> {
    await this.send.stopScreenShare();
    this.update({ sharing: false, screenStream: null });
  }

  /** Drop the signalling link as a network failure would (diagnostics and tests): it heals itself. */
  simulateLinkDrop(): void {
    this.socket?.io.engine?.close();
  }

  private halt(code: string, message: string): void {
    if (this.closed) return;
    this.close();
    this.update({
      state: 'failed',
      error: message,
      failure: Object.assign(new Error(message), { code }),
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', this.onPageHide);
    // Only a session that got as far as the room says anything about the line.
    if (this.snap.selfPeerId) this.linkMemory.end();
    this.media.cancel();
    if (this.statsTimer) clearInterval(this.statsTimer);
    try {
      this.socket?.emit('leave', {}, () => undefined);
    } catch {
      /* ignore */
    }
    this.media.teardown();
    this.send.releaseScreen();
    this.socket?.disconnect();
    this.socket = null;
    this.update({ state: 'closed' });
  }
}
