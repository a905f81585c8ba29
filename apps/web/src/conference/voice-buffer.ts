/**
 * How long the browser holds each remote voice before playing it, on a lossy path (pure; applied
 * by ReceiveSide through `RTCRtpReceiver.jitterBufferTarget`).
 *
 * A lost voice packet can be sent again (the SFU keeps what it sent and answers NACKs; upstream,
 * the sender's browser answers the SFU's), but the browser only asks for a packet whose playout
 * is further away than a round trip, and by default it plays within a few tens of milliseconds.
 * Opus's own FEC does not help either on a commune's downlink: each sender's encoder adds FEC for
 * the loss on its own uplink, which for the central sites is none. So on a path that loses
 * packets every lost packet was concealed (measured: 5 % concealment at 5 % loss, both ends).
 * Holding the voice a round trip longer gives the resent packet time to arrive: a consultation
 * on a weak line is better half a second late than broken up.
 */

/** Packets missing on a voice's path, in a window, from which it is buffered for retransmission. */
export const LOSSY_VOICE_PCT = 1;
/** The round trip assumed for the part of the path we cannot see (a lossy sender's uplink). */
export const ASSUMED_RTT_MS = 300;
/** Beyond the round trip: detecting the gap (the next packet, 40 ms) and the resent packet's
 * own queueing. */
export const RESEND_MARGIN_MS = 150;
/** How long a raised buffer takes to fill: the browser stretches the sound meanwhile and counts
 * it as concealment, which must not be taken for the line's. */
export const VOICE_BUFFER_SETTLE_MS = 6_000;
/** Never more than this: past it a conversation stops working whatever the sound. */
export const MAX_VOICE_BUFFER_MS = 1_000;

/**
 * The buffer target for a voice, ms, or null for the browser's own. `lossPct`: the share of this
 * voice's packets missing in the last window, lost or asked for again (it includes the sender's
 * uplink: the SFU keeps sequence gaps, and its repairs of them arrive late);
 * `rttMs`: our own round trip to the SFU; `current`: the target already set. Once set it stays
 * for the session: a lossy line does not turn clean, and each change is heard as a stretch.
 */
export function voiceBufferMs(
  lossPct: number,
  rttMs: number | null,
  current: number | null,
): number | null {
  if (lossPct < LOSSY_VOICE_PCT) return current;
  // The slower of the two halves of the path decides when a resent packet arrives.
  const rtt = Math.max(rttMs ?? 0, ASSUMED_RTT_MS);
  const wanted = Math.min(MAX_VOICE_BUFFER_MS, Math.round(rtt + RESEND_MARGIN_MS));
  // Only upwards: a lower target would throw away the delay the line just showed it needs.
  return current === null ? wanted : Math.max(current, wanted);
}

/**
 * Whether a voice is arriving, window by window: `gone` when nothing came (an outage on its path,
 * or a microphone switched off), `returning` in the first window it comes back, then `flowing`.
 *
 * A voice that comes back after an outage finds an empty buffer; the browser conceals until the
 * buffer holds most of its target before it plays again (measured after a 10 s outage: 0.7–1 s
 * more of concealment at a 450–750 ms target, on top of the line's own return). So while a voice
 * is gone or returning it is left to the browser's own small buffer — it plays as soon as it
 * arrives — and its raised target is set again once it has flowed for a whole window: the
 * browser then grows the buffer by stretching the sound, not by going silent.
 */
export type VoiceFlow = 'flowing' | 'gone' | 'returning';

export function voiceFlow(previous: VoiceFlow, packetsInWindow: number): VoiceFlow {
  if (packetsInWindow === 0) return 'gone';
  return previous === 'gone' ? 'returning' : 'flowing';
}

/** The target to set on the receiver: the raised one only while the voice is flowing. */
export function appliedVoiceBufferMs(flow: VoiceFlow, raisedMs: number | null): number | null {
  return flow === 'flowing' ? raisedMs : null;
}
