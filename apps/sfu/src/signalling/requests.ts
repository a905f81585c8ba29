import type { Socket } from 'socket.io';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  SignallingRequestSchemas,
  type Ack,
  type AckErrorCode,
  type SignallingRequest,
  type SignallingRequestName,
} from '@caunoi/shared';
import { SfuError } from '../errors';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import { floorOf } from '../rooms/training-floor';
import { joinInOneTrip } from '../rooms/one-trip-join';

// What each signalling request does once admitted and validated (the gateway checks limits and
// schemas first), and how answers and refusals are shaped.
export type Handler<N extends SignallingRequestName> = (
  ctx: { room: Room; peer: Peer; socket: Socket },
  data: SignallingRequest<N>,
) => Promise<unknown> | unknown;
type Handlers = { [N in SignallingRequestName]: Handler<N> };

export const handlers: Handlers = {
  getRouterRtpCapabilities: async ({ room }) => (await room.primaryRouter()).rtpCapabilities,
  // `displayName` is accepted for compatibility and ignored: names come from the join token.
  join: async ({ room, peer, socket }, d) => {
    const answer = await joinInOneTrip(room, peer, d);
    // The speaker event comes only on a change: a site joining while someone speaks would not
    // know who it is (nor follow their camera first) until the next change.
    const speaker = room.activeSpeaker();
    if (speaker) setImmediate(() => socket.emit('activeSpeaker', speaker));
    return answer;
  },
  createTransport: ({ room, peer }, d) =>
    room.createTransport(peer, d.direction, d.forceTcp ?? false),
  connectTransport: async ({ room, peer }, d) => {
    await room
      .media(peer)
      .connectTransport(d.transportId, d.dtlsParameters as unknown as types.DtlsParameters);
    return {};
  },
  restartIce: ({ room, peer }, d) => room.media(peer).restartIce(d.transportId),
  produce: ({ room, peer }, d) =>
    room.produce(
      peer,
      d.transportId,
      d.kind,
      d.rtpParameters as unknown as types.RtpParameters,
      d.appData.source,
    ),
  closeProducer: ({ room, peer }, d) => {
    room.closeProducer(peer, d.producerId);
    return {};
  },
  pauseProducer: async ({ room, peer }, d) => {
    await room.pauseProducer(peer, d.producerId);
    return {};
  },
  resumeProducer: async ({ room, peer }, d) => {
    await room.resumeProducer(peer, d.producerId);
    return {};
  },
  consume: ({ room, peer }, d) =>
    room.consume(peer, d.transportId, d.producerId, d.rtpCapabilities as types.RtpCapabilities),
  // In audio-only mode video stays paused; it resumes when the mode is switched off.
  resumeConsumer: ({ room, peer }, d) =>
    room.media(peer).resumeConsumer(d.consumerId, peer.audioOnly),
  pauseConsumer: async ({ room, peer }, d) => {
    await room.media(peer).pauseConsumer(d.consumerId);
    return {};
  },
  setPreferredLayers: async ({ room, peer }, d) => {
    await room.media(peer).setPreferredLayers(d.consumerId, d.spatialLayer, d.temporalLayer);
    return {};
  },
  setAudioOnly: ({ room, peer }, d) => room.setAudioOnly(peer, d.enabled),
  resume: ({ peer }) => peer.resumeInfo(),
  raiseHand: ({ room, peer }, d) => floorOf(room).raiseHand(peer, d.raised),
  grantFloor: ({ room, peer }, d) => floorOf(room).grant(peer, d.peerId),
  revokeFloor: ({ room, peer }, d) => floorOf(room).revoke(peer, d?.peerId),
  leave: ({ room, peer }) => {
    room.removePeer(peer, 'left');
    return {};
  },
};

/** A schema refusal naming the field. */
export function describeIssue(event: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return `${event}: ${where}${issue?.message ?? 'invalid payload'}`;
}

export function isRequestName(event: string): event is SignallingRequestName {
  return Object.prototype.hasOwnProperty.call(SignallingRequestSchemas, event);
}

export function byteSize(value: unknown): number {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? 0 : Buffer.byteLength(json);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function errorAck(code: AckErrorCode, message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}

/** Map anything thrown by a handler to an ack: expected errors keep their code, mediasoup's
 * validation errors (TypeError, UnsupportedError) become invalid_message, the rest internal. */
export function toErrorAck(err: unknown, log: Logger, event: string): Ack<never> {
  if (err instanceof SfuError) return errorAck(err.code, err.message);
  const e = err as Error;
  if (e instanceof TypeError || e?.name === 'UnsupportedError' || e?.name === 'TypeError') {
    return errorAck('invalid_message', e.message.slice(0, 300));
  }
  if (e?.name === 'InvalidStateError') return errorAck('conflict', e.message.slice(0, 300));
  log.error({ event, err: e?.message, stack: e?.stack }, 'signalling request failed');
  return errorAck('internal', 'internal error');
}
