import {
  FLAT_WINDOWS,
  KNOWN_LINE_STEP,
  KNOWN_LINE_WINDOWS,
  NO_FLOOR,
  nextFloor,
  QUEUE_DELAY_MS,
  WAIT_AFTER_DROP,
  type FloorState,
  type LinkWindow,
} from './loss-floor';

// The 256k line of the benchmark: 5 % random loss, 300 ms round trip, the estimate stuck at 140.
const lossy: LinkWindow = { estimateBps: 140_000, rttMs: 300, loss: 0.05, audioScore: 8 };
// Two voices (72) and the speaker's lowest layer at every frame rate (100).
const WANTED = 172_000;

function run(windows: LinkWindow[], wanted = WANTED, from: FloorState = NO_FLOOR): FloorState[] {
  const out: FloorState[] = [];
  let s = from;
  for (const w of windows) out.push((s = nextFloor(s, w, wanted)));
  return out;
}
/** What mediasoup reports with a floor applied: never under it. */
const under = (s: FloorState, w: LinkWindow): LinkWindow => ({
  ...w,
  estimateBps: Math.max(w.estimateBps, s.floorBps),
});

describe('nextFloor (a floor under the estimate on random loss)', () => {
  it('lifts a flat estimate on steady random loss, in steps, up to what the speaker needs', () => {
    const states = run(Array(FLAT_WINDOWS + 2).fill(lossy));
    // Not before the estimate has been flat for FLAT_WINDOWS windows.
    expect(states.slice(0, FLAT_WINDOWS - 1).map((s) => s.floorBps)).toEqual([0, 0]);
    expect(states[FLAT_WINDOWS - 1]!.floorBps).toBe(161_000); // 140 × 1.15
    expect(states.at(-1)!.floorBps).toBe(WANTED); // never above what is wanted
  });

  it('leaves a clean line, a climbing estimate and a transport with nothing to lift alone', () => {
    const clean = run(Array(6).fill({ ...lossy, loss: 0 }));
    expect(clean.at(-1)!.floorBps).toBe(0);
    const climbing = run(
      [100, 130, 170, 220, 280].map((k) => ({ ...lossy, estimateBps: k * 1000 })),
    );
    expect(climbing.at(-1)!.floorBps).toBe(0);
    expect(run(Array(6).fill(lossy), 0).at(-1)!.floorBps).toBe(0);
    // The estimate already covers what is wanted: no floor needed.
    expect(run(Array(6).fill({ ...lossy, estimateBps: 200_000 })).at(-1)!.floorBps).toBe(0);
  });

  it('drops when a queue builds, waits, and stays under where the queue appeared', () => {
    let s = run(Array(FLAT_WINDOWS + 1).fill(lossy)).at(-1)!;
    const reached = s.floorBps;
    expect(reached).toBeGreaterThan(140_000);
    const queueing = { ...lossy, rttMs: 300 + QUEUE_DELAY_MS + 40 };
    // One window of it is a key frame draining: the floor stays.
    s = nextFloor(s, under(s, queueing), WANTED);
    expect(s.floorBps).toBe(reached);
    // Two in a row are a queue: no floor.
    s = nextFloor(s, under(s, queueing), WANTED);
    expect(s.floorBps).toBe(0);
    expect(s.reason).toBe('queue');
    expect(s.ceilingBps).toBe(reached * 0.85);
    // The round trip is back to normal: nothing for WAIT_AFTER_DROP windows.
    const waiting = run(Array(WAIT_AFTER_DROP).fill(lossy), WANTED, s);
    expect(waiting.every((w) => w.floorBps === 0 && w.reason === 'waiting')).toBe(true);
    // Then it may climb again, but not to where the queue appeared.
    const again = run(Array(FLAT_WINDOWS + 4).fill(lossy), WANTED, waiting.at(-1)!);
    expect(Math.max(...again.map((a) => a.floorBps))).toBe(Math.round(reached * 0.85));
  });

  it('after a queue it made no floor for, waits only for flat windows without a queue', () => {
    // The start's queue (the first key frames over a weak line), before any floor.
    const queueing = { ...lossy, rttMs: 300 + QUEUE_DELAY_MS + 40 };
    const first = run([lossy, queueing, queueing]);
    expect(first.at(-1)!).toMatchObject({ floorBps: 0, reason: 'queue', waitWindows: 0 });
    expect(first.at(-1)!.ceilingBps).toBeNull();
    // The queue drained: a floor after FLAT_WINDOWS flat windows, not WAIT_AFTER_DROP more.
    const after = run(Array(FLAT_WINDOWS).fill(lossy), WANTED, first.at(-1)!);
    expect(after.map((a) => a.floorBps)).toEqual([0, 0, 161_000]);
  });

  it("with the line's round trip measured before the media, a start that queues is a queue", () => {
    // 256k measured: the SFU's first round trips were 584 and 607 ms on a 300 ms line.
    const startQueued = { ...lossy, estimateBps: 127_000, rttMs: 590 };
    const told = run(Array(FLAT_WINDOWS + 2).fill(startQueued), WANTED, {
      ...NO_FLOOR,
      baseRttMs: 310,
    });
    expect(told.every((s) => s.floorBps === 0)).toBe(true);
    expect(told.at(-1)!.reason).toBe('queue');
    // Not told, the queued start looks like the line itself and the floor climbs into it.
    expect(run(Array(FLAT_WINDOWS).fill(startQueued)).at(-1)!.floorBps).toBeGreaterThan(0);
    // Drained, the floor starts after the flat windows, with no wait for a floor it never had.
    const after = run(Array(FLAT_WINDOWS).fill({ ...lossy, rttMs: 330 }), WANTED, told.at(-1)!);
    expect(after.at(-1)!.floorBps).toBe(161_000);
  });

  it('on a known line climbs from what flows anyway, in larger steps, never before it is due', () => {
    // 256k measured: the estimate at 39 kbit/s under 98 kbit/s of voices and lowest video.
    const low = { ...lossy, estimateBps: 39_000 };
    const FLOWING = 98_000;
    let s = NO_FLOOR;
    const states: FloorState[] = [];
    for (let i = 0; i < FLAT_WINDOWS + 2; i++)
      states.push((s = nextFloor(s, under(s, low), WANTED, FLOWING)));
    // Not before KNOWN_LINE_WINDOWS windows of random loss.
    expect(states[KNOWN_LINE_WINDOWS - 2]!.floorBps).toBe(0);
    const first = Math.round(FLOWING * (1 + KNOWN_LINE_STEP));
    expect(states[KNOWN_LINE_WINDOWS - 1]!.floorBps).toBe(first);
    expect(states[KNOWN_LINE_WINDOWS]!.floorBps).toBe(Math.round(first * (1 + KNOWN_LINE_STEP)));
    expect(states.at(-1)!.floorBps).toBe(WANTED); // and never past what is wanted
    // Not on a clean line.
    let c = NO_FLOOR;
    for (let i = 0; i < 6; i++) c = nextFloor(c, { ...low, loss: 0 }, WANTED, FLOWING);
    expect(c.floorBps).toBe(0);
    // An estimate that falls and wobbles after the start (256k measured) is not climbing by
    // itself: on a known line the floor starts; with the line unknown it waits for it to be flat.
    const wobbly = [228_000, 105_000, 118_000].map((e) => ({ ...lossy, estimateBps: e }));
    let k = NO_FLOOR;
    for (const w of wobbly.slice(0, 2)) k = nextFloor(k, w, WANTED, FLOWING);
    expect(k.floorBps).toBe(Math.round(105_000 * (1 + KNOWN_LINE_STEP)));
    expect(run(wobbly).at(-1)!.floorBps).toBe(0);
    // Nor when the estimate climbs by itself.
    let up = NO_FLOOR;
    for (const e of [60_000, 80_000, 100_000])
      up = nextFloor(up, { ...lossy, estimateBps: e }, WANTED, FLOWING);
    expect(up.floorBps).toBe(0);
    // A line not known: the same windows climb from the estimate, 15 % a window.
    expect(run(Array(FLAT_WINDOWS).fill(low)).at(-1)!.floorBps).toBe(Math.round(39_000 * 1.15));
  });

  it('drops when the voices break up or the loss is no longer a few per cent', () => {
    const on = run(Array(FLAT_WINDOWS).fill(lossy)).at(-1)!;
    expect(on.floorBps).toBeGreaterThan(0);
    expect(nextFloor(on, under(on, { ...lossy, audioScore: 6 }), WANTED).floorBps).toBe(0);
    expect(nextFloor(on, under(on, { ...lossy, loss: 0.2 }), WANTED).floorBps).toBe(0);
    // Unknown round trip or loss (no receiver report yet): never starts a floor.
    expect(run(Array(6).fill({ ...lossy, rttMs: null })).at(-1)!.floorBps).toBe(0);
    expect(run(Array(6).fill({ ...lossy, loss: null })).at(-1)!.floorBps).toBe(0);
  });
});
