/**
 * Performance marks of the way into a room (`caunoi:<step>` in the page's performance timeline):
 * on a 300–800 ms line a join is a handful of round trips, and these show which one a slow join
 * waited on (the weak-link benchmark reports them). No-ops where the timeline is missing.
 */
export function markJoinStep(step: string): void {
  try {
    globalThis.performance?.mark?.(`caunoi:${step}`);
  } catch {
    /* a timeline that refuses marks: nothing to record */
  }
}
