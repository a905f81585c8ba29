// What a listener hears after an outage, from the receiving page's own statistics: when the
// audio is back, and whether it stops again. Pure functions over samples, unit-tested in
// tools/test/outage-recovery.spec.ts.

/** A voice's playout rate in Chromium's statistics (samples per second). */
const PLAYOUT_HZ = 48_000;
/** A second dropout is this much audio the listener did not hear, in one stretch. */
export const SECOND_DROPOUT_MS = 1000;

/**
 * Per interval between two samples of a page's receivers (`{at, stats}`): the audio packets
 * that arrived, the playout time that passed and how much of it was concealed (invented by
 * the decoder because nothing came), summed over the voices not ignored. Per consumer, so that a
 * rebuilt room (new consumers counting from zero) still shows as audio flowing.
 */
export function audioIntervals(series, ignore = []) {
  const out = [];
  for (let i = 1; i < series.length; i++) {
    const before = new Map(series[i - 1].stats.map((s) => [s.consumerId, s]));
    let packets = 0;
    let played = 0;
    let concealed = 0;
    let voices = 0;
    let discarded = 0;
    let target = 0;
    let emitted = 0;
    for (const s of series[i].stats) {
      if (s.kind !== 'audio' || ignore.includes(s.peerId)) continue;
      const p = before.get(s.consumerId) ?? {};
      voices++;
      packets += Math.max(0, s.packetsReceived - (p.packetsReceived ?? 0));
      played += Math.max(0, (s.totalSamplesReceived ?? 0) - (p.totalSamplesReceived ?? 0));
      concealed += Math.max(0, (s.concealedSamples ?? 0) - (p.concealedSamples ?? 0));
      discarded += Math.max(0, (s.packetsDiscarded ?? 0) - (p.packetsDiscarded ?? 0));
      const e = (s.jitterBufferEmittedCount ?? 0) - (p.jitterBufferEmittedCount ?? 0);
      if (e > 0) {
        emitted += e;
        target += (s.jitterBufferTargetDelay ?? 0) - (p.jitterBufferTargetDelay ?? 0);
      }
    }
    out.push({
      at: series[i].at,
      ms: series[i].at - series[i - 1].at,
      packets,
      // Per voice: the voices play side by side, each its own stretch of time.
      playedMs: voices ? (1000 * played) / PLAYOUT_HZ / voices : 0,
      concealedMs: voices ? (1000 * concealed) / PLAYOUT_HZ / voices : 0,
      // Diagnosis: packets that came too late to play, and the playout delay the buffer aimed at.
      discarded,
      targetMs: emitted ? Math.round((1000 * target) / emitted) : null,
    });
  }
  return out;
}

/**
 * `back`: ms after the restore at which the first audio packets arrived. `secondDropoutMs`:
 * the longest stretch after that in which the listener heard (almost) nothing — consecutive
 * intervals mostly concealed — measured in concealed playout time; reported from 1 s on.
 * A pause between two samples alone is not a dropout: a busy machine can take a second to
 * answer one, while the voice played on (its playout was real, not concealed).
 * `sampleGapMs`: the longest time between two samples after the audio was back (diagnosis).
 */
export function recoveryFrom(intervals, restoredAt) {
  let back = null;
  let stretch = 0;
  let stretchAt = null;
  let secondDropoutMs = 0;
  let secondDropoutAt = null;
  let sampleGapMs = 0;
  for (const iv of intervals) {
    if (back === null) {
      if (iv.packets > 0) back = iv.at - restoredAt;
      continue;
    }
    sampleGapMs = Math.max(sampleGapMs, iv.ms);
    // With playout figures, what was heard decides (a deep buffer plays through a short gap in
    // the packets); without them (a voice not playing), the packets do.
    const silent = iv.playedMs > 0 ? iv.concealedMs >= 0.5 * iv.playedMs : iv.packets === 0;
    if (silent) {
      if (stretch === 0) stretchAt = iv.at - iv.ms - restoredAt;
      stretch += iv.playedMs > 0 ? iv.concealedMs : iv.ms;
      if (stretch >= SECOND_DROPOUT_MS && stretch > secondDropoutMs) {
        secondDropoutMs = Math.round(stretch);
        secondDropoutAt = stretchAt;
      }
    } else stretch = 0;
  }
  return { audioBackMs: back, secondDropoutMs, secondDropoutAt, sampleGapMs };
}
