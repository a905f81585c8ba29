import type { Ack, AckErrorCode } from '@caunoi/shared';
import { COLLAB_LIMITS, findInvalidText, INVALID_TEXT_MESSAGE } from '@caunoi/shared';

/** A refusal the client can act on; anything else thrown by a handler becomes `internal`. */
export class CollabError extends Error {
  constructor(
    readonly code: AckErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const fail = (code: AckErrorCode, message: string): Ack<never> => ({
  ok: false,
  error: { code, message },
});

/**
 * Token bucket per socket: bursts up to the limit, refilled at `eventsPerSecond`. A presenter
 * dragging the pointer is throttled by the client to well below it.
 */
export class SocketRateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond = COLLAB_LIMITS.eventsPerSecond,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perSecond;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Size of an event payload as it would travel; unmeasurable payloads count as too big. */
export function payloadBytes(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Splits a client event's arguments into the payload and the ack. The ack is the last argument
 * whenever it is a function, so an event sent with extra arguments still gets its answer (an
 * `invalid_message` naming the problem) instead of hanging.
 */
export function eventArguments(
  event: string,
  args: unknown[],
): { payload: unknown; reply: (a: Ack<unknown>) => void; problem: Ack<never> | null } {
  const last = args[args.length - 1];
  const hasAck = typeof last === 'function';
  const reply = hasAck ? (last as (a: Ack<unknown>) => void) : () => undefined;
  const payloads = hasAck ? args.slice(0, -1) : args;
  if (payloads.length > 1)
    return {
      payload: undefined,
      reply,
      problem: fail('invalid_message', `${event}: send one payload object, then the ack`),
    };
  const bad = findInvalidText(payloads[0]);
  return {
    payload: payloads[0],
    reply,
    problem:
      bad === null ? null : fail('invalid_message', `${event}: ${bad} ${INVALID_TEXT_MESSAGE}`),
  };
}
