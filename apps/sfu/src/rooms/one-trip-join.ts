import type { types } from 'mediasoup';
import type { DtlsFingerprint, JoinResult, SignallingRequest, TransportInfo } from '@caunoi/shared';
import type { Peer } from './peer';
import type { JoinResponse, Room } from './room';

type OneTrip = Pick<JoinResult, 'transports' | 'consumers'>;

/**
 * The one-trip join: what a client would otherwise ask for in the round trips after `join` —
 * its transports, and a consumer per producer already in the room — is done in the same request.
 * On a commune line every round trip is 300–800 ms, and a join used to take eight of them
 * before the first voice. Audio consumers are resumed here (the client resumes nothing for
 * audio); video consumers stay paused until the client resumes them, as after `consume`, so the
 * client's link policy (and the room's last-N) decide before any video byte is sent.
 * A client that asks for none of it gets the classic answer.
 */
export async function joinInOneTrip(
  room: Room,
  peer: Peer,
  request: SignallingRequest<'join'>,
): Promise<JoinResponse & OneTrip> {
  const joined = await room.join(peer);
  const want = request.transports;
  if (!want?.send && !want?.recv) return joined;
  const open = (direction: 'send' | 'recv') =>
    want[direction]
      ? room.createTransport(peer, direction, request.forceTcp ?? false, {
          weakLink: request.weakLink,
          startBitrate: request.startBitrate,
          lineRttMs: request.lineRttMs,
        })
      : Promise.resolve(undefined);
  const [send, recv] = await Promise.all([open('send'), open('recv')]);
  const fingerprints = request.dtlsFingerprints;
  if (fingerprints)
    await Promise.all(
      [send, recv].map((t) => (t ? connectAhead(room, peer, t, fingerprints) : undefined)),
    );
  const transports = { ...(send ? { send } : {}), ...(recv ? { recv } : {}) };
  if (!request.consume || !recv) return { ...joined, transports };
  const caps = request.rtpCapabilities as unknown as types.RtpCapabilities;
  const made = await Promise.all(
    joined.producers.map(async (p) => {
      try {
        const consumer = await room.consume(peer, recv.id, p.id, caps);
        const { paused } =
          consumer.kind === 'audio'
            ? await room.media(peer).resumeConsumer(consumer.id, peer.audioOnly)
            : { paused: true };
        return [{ ...consumer, paused }];
      } catch {
        // Closed meanwhile, or not consumable with these capabilities: the client sees it
        // listed in `producers` without a consumer and may ask with `consume` as before.
        return [];
      }
    }),
  );
  return { ...joined, transports, consumers: made.flat() };
}

/**
 * A transport connected with the fingerprints of the certificate the client made ahead: the
 * browser is the DTLS client (mediasoup-client takes role `client` unless told otherwise, and
 * the client is told so), so the SFU needs nothing else to accept its first flight. If mediasoup
 * refuses them, the transport stays unconnected and the client connects it as usual.
 */
async function connectAhead(
  room: Room,
  peer: Peer,
  transport: TransportInfo,
  fingerprints: DtlsFingerprint[],
): Promise<void> {
  try {
    // In capitals, as mediasoup compares them: DtlsFingerprintSchema parsed them so.
    await room.media(peer).connectTransport(transport.id, { role: 'client', fingerprints });
    transport.dtlsConnected = true;
  } catch {
    // not connected: the client's `connectTransport` does it
  }
}
