import type { Device, types as ms } from 'mediasoup-client';
import type { SignallingRequestName, TransportInfo } from '@caunoi/shared';
import { sameCertificate, type DtlsCertificate } from './dtls-certificate';

type Request = <T>(name: SignallingRequestName, data?: unknown) => Promise<T>;

/** A send or recv transport on the SFU, wired to signalling (connect, and produce for send). */
export async function createTransport(
  device: Device,
  direction: 'send' | 'recv',
  request: Request,
): Promise<ms.Transport> {
  const info = await request<TransportInfo>('createTransport', { direction });
  return openTransport(device, direction, info, request);
}

/**
 * The client side of a transport the SFU opened (`createTransport`, or the one-trip join).
 * `certificate`: the one whose fingerprints the join gave; with `dtlsConnected` the SFU has
 * connected the transport with them, so the browser must use it (and be the DTLS client).
 */
export function openTransport(
  device: Device,
  direction: 'send' | 'recv',
  info: TransportInfo,
  request: Request,
  certificate?: DtlsCertificate | null,
): ms.Transport {
  const ahead = info.dtlsConnected && certificate ? certificate : null;
  const dtls = info.dtlsParameters as ms.DtlsParameters;
  const params = {
    id: info.id,
    iceParameters: info.iceParameters as ms.IceParameters,
    iceCandidates: info.iceCandidates as ms.IceCandidate[],
    // The SFU expects the browser's ClientHello: it is the DTLS server of this transport.
    dtlsParameters: ahead ? { ...dtls, role: 'server' as const } : dtls,
    iceServers: (info.iceServers as RTCIceServer[] | undefined) ?? [],
    ...(ahead ? { additionalSettings: { certificates: [ahead.certificate] } } : {}),
  };
  const transport =
    direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
  transport.on('connect', ({ dtlsParameters }, callback) => {
    if (ahead && sameCertificate(ahead.fingerprints, dtlsParameters.fingerprints)) {
      callback(); // connected by the SFU already
      return;
    }
    // Not waited for: the SFU handles a socket's requests in order and accepts `produce` on a
    // transport it has not connected yet, so the first producer (and consumer) need not wait a
    // round trip. If the SFU refuses, ICE/DTLS fail and the recovery below takes over.
    request('connectTransport', { transportId: transport.id, dtlsParameters }).catch(
      () => undefined,
    );
    callback();
  });
  if (direction === 'send') {
    transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
      request<{ id: string }>('produce', {
        transportId: transport.id,
        kind,
        rtpParameters,
        appData,
      }).then(({ id }) => callback({ id }), errback);
    });
  }
  return transport;
}

/**
 * Refusals of restartIce that mean the SFU no longer holds this transport: it dropped our peer
 * (a reconnect after its grace period) or its media server restarted. No ICE restart can help.
 */
const TRANSPORT_GONE = new Set(['not_found', 'conflict']);

/**
 * After an outage the same path usually comes back, and the browser's own checks find it within
 * a round trip or two; an ICE restart applied meanwhile throws that away and starts a new round
 * of checks, with no media until it completes (measured on a 256 kbit/s, 300 ms line: media sent
 * again ≈ 750 ms after the line was back instead of 250–500). So new parameters that arrive while
 * the transport is still `disconnected` are applied only if it has not come back within this.
 */
export const ICE_SELF_HEAL_MS = 1500;

/** Resolves true when the transport is connected, false once it fails or after `ms`. */
function connectsWithin(transport: ms.Transport, ms: number): Promise<boolean> {
  if (transport.connectionState === 'connected') return Promise.resolve(true);
  if (transport.connectionState === 'failed') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      transport.off('connectionstatechange', onState);
      resolve(ok);
    };
    const onState = (state: string) => {
      if (state === 'connected') done(true);
      else if (state === 'failed' || state === 'closed') done(false);
    };
    const timer = setTimeout(() => done(false), ms);
    transport.on('connectionstatechange', onState);
  });
}

/**
 * ICE trouble on a live signalling link: a transport that stays `disconnected` for 2 s, or goes
 * `failed`, gets an ICE restart (new parameters from the SFU) — unless it comes back by itself
 * first (`ICE_SELF_HEAL_MS`). If the SFU answers that the transport is gone, `onLost` asks for a
 * full rebuild instead of waiting forever on dead media.
 */
export class IceRecovery {
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Transports with a restart under way (asked, answered, maybe waiting for a self-heal). */
  private restarting = new Set<string>();

  watch(
    transport: ms.Transport,
    on: {
      onConnected: () => void;
      /** Returns false when the client is closed (no restart then). */
      onTrouble: () => boolean;
      restartIce: () => Promise<ms.IceParameters>;
      /** The SFU no longer has this transport: rebuild the media. */
      onLost: () => void;
    },
  ): void {
    transport.on('connectionstatechange', (state) => {
      if (state === 'connected') {
        const t = this.timers.get(transport.id);
        if (t) clearTimeout(t);
        this.timers.delete(transport.id);
        on.onConnected();
      } else if (state === 'disconnected' || state === 'failed') {
        if (!on.onTrouble() || this.timers.has(transport.id)) return;
        if (this.restarting.has(transport.id)) return;
        this.timers.set(
          transport.id,
          setTimeout(
            () => {
              this.timers.delete(transport.id);
              this.restarting.add(transport.id);
              void on
                .restartIce()
                .then(
                  async (iceParameters) => {
                    // Asked during an outage, answered after it over the held TCP link: ICE may
                    // have recovered meanwhile or be about to, and restarting it would cut the
                    // media again. The SFU keeps accepting the current credentials until new
                    // ones are used.
                    // A failed transport is answered at once (connectsWithin: false).
                    if (await connectsWithin(transport, ICE_SELF_HEAL_MS)) return;
                    if (transport.closed) return;
                    return transport.restartIce({ iceParameters });
                  },
                  (err: { code?: string } | null) => {
                    if (err?.code && TRANSPORT_GONE.has(err.code)) on.onLost();
                  },
                )
                .catch(() => undefined)
                .finally(() => this.restarting.delete(transport.id));
            },
            state === 'failed' ? 0 : 2000,
          ),
        );
      }
    });
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.restarting.clear();
  }
}
