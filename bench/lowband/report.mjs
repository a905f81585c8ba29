// The weak-link benchmark's verdicts: each run against the goals of its scenario.
import { round } from '../lib/stats.mjs';

const GOALS = {
  '256k-5%-300ms': { maxConcealmentPct: 3, bestFps: 10, otherFps: 1 },
  '128k-3%-400ms': { maxConcealmentPct: 5, bestFps: 3, otherFps: 0 },
};
const OUTAGE_BACK_MS = 3000;
const SIGN_IN_MS = 5000;
const JOIN_MS = 10_000;
const WARM_JOIN_MS = 3000;
/** A picture shown as playing that does not change for this long is frozen (s). */
const FROZEN_AFTER_S = 2;

/** Concealment both ways between the commune and the central sites, and the commune's video. */
function linkFigures(run) {
  const commune = run.received.commune ?? {};
  const remote = Object.values(commune);
  const fps = remote.map((r) => r.videoFps ?? 0).sort((a, b) => b - a);
  const centralsHearCommune = ['central-1', 'central-2'].map(
    (c) => run.received[c]?.commune?.audioConcealmentPct ?? 100,
  );
  // A tile shown as playing whose picture did not change for FROZEN_AFTER_S seconds at any
  // time of the window (followed each second). Runs from before that was followed: a tile
  // shown as playing at the end that decoded under 1 frame/s over the whole window.
  const tiles = run.communeTiles ?? {};
  const frozenTiles = run.communeTileStalls
    ? Object.entries(run.communeTileStalls)
        .filter(([, s]) => s >= FROZEN_AFTER_S)
        .map(([site]) => site)
    : Object.entries(tiles)
        .filter(([site, state]) => state === 'video' && (commune[site]?.videoFps ?? 0) < 1)
        .map(([site]) => site);
  const heldTiles = Object.values(tiles).filter((state) => state.startsWith('held')).length;
  return {
    frozenTiles,
    heldTiles,
    // A commune that received nothing heard nothing: 100 %, never a silent 0.
    communeConcealmentPct: remote.length
      ? Math.max(...remote.map((r) => r.audioConcealmentPct ?? 100))
      : 100,
    centralConcealmentPct: Math.max(...centralsHearCommune),
    bestFps: fps[0] ?? 0,
    // The active speaker's video, followed as the speaker moves (null: no speaker known).
    speakerFps: run.communeSpeakerVideo?.fps ?? null,
    speakerChanges: run.communeSpeakerVideo?.changes ?? null,
    otherFps: fps[1] ?? 0,
    bestResolution: remote.find((r) => (r.videoFps ?? 0) === fps[0])?.videoResolution ?? null,
  };
}

/** ms from the client's start mark (its token request) to the step `at`, or null. */
function fromStart(steps, at) {
  return steps && typeof steps.start === 'number' && typeof steps[at] === 'number'
    ? steps[at] - steps.start
    : null;
}

/**
 * From the client's start mark to the first remote audio, or null: the page's own `first-voice`
 * mark (a remote voice's track unmutes as its first packet arrives) where it is there, else the
 * benchmark's poll of the page's statistics (`firstAudio`), which lags the packet by one
 * Playwright round trip to a loaded renderer (measured: 19–1357 ms, median ≈ 250, at load 10–16).
 */
function tokenToAudio(steps) {
  return fromStart(steps, 'first-voice') ?? fromStart(steps, 'firstAudio');
}

/** `[token→audio X]`, with the poll's figure where the mark gave another. */
function tokenToAudioText(steps) {
  const t = tokenToAudio(steps);
  if (t === null) return '';
  const polled = fromStart(steps, 'firstAudio');
  return polled !== null && polled !== t
    ? ` [token→audio ${t}, polled ${polled}]`
    : ` [token→audio ${t}]`;
}

/**
 * ` [dtls(Finished)↓ 1180]`: the handshake datagrams lost in a join (DTLS records, direction, ms
 * after its click).
 */
function lostText(steps) {
  const drops = steps?.handshakeDrops;
  if (!drops) return '';
  if (!drops.length) return ' [none]';
  const arrow = { up: '↑', down: '↓' };
  const what = (kind, records) => (records ? `${kind}(${records})` : kind);
  return ` [${drops
    .map(([ms, dir, kind, , records]) => `${what(kind, records)}${arrow[dir]} ${Math.round(ms)}`)
    .join(', ')}]`;
}

function verdict(run) {
  if (run.error) return { met: false, why: run.error };
  const f = linkFigures(run);
  const misses = [];
  const goal = GOALS[run.scenario];
  if (goal) {
    if (f.communeConcealmentPct >= goal.maxConcealmentPct)
      misses.push(`commune concealment ${f.communeConcealmentPct} %`);
    if (f.centralConcealmentPct >= goal.maxConcealmentPct)
      misses.push(`central concealment ${f.centralConcealmentPct} %`);
    // The goal is the active speaker's video; runs from before it was followed are judged on
    // the best site's average.
    const speaker = f.speakerFps ?? f.bestFps;
    if (speaker < goal.bestFps)
      misses.push(`${f.speakerFps === null ? 'best video' : 'speaker video'} ${speaker} fps`);
    if (f.otherFps < goal.otherFps) misses.push(`other video ${f.otherFps} fps`);
    if (f.frozenTiles.length) misses.push(`frozen tile(s): ${f.frozenTiles.join(', ')}`);
  }
  if (run.recovery) {
    for (const side of ['commune', 'central']) {
      const r = run.recovery[side];
      if (run.scenario === 'outage-10s') {
        if (r.audioBackMs === null || r.audioBackMs > OUTAGE_BACK_MS)
          misses.push(`${side} audio back after ${r.audioBackMs ?? 'never'} ms`);
        if (r.secondDropoutMs > 0) misses.push(`${side} second dropout ${r.secondDropoutMs} ms`);
      } else if (r.audioBackMs === null) misses.push(`${side} never rejoined`);
    }
  }
  const join = run.joinToAudioMs?.commune;
  // The warm goal is "token → first remote audio": from the client's start (its token request)
  // when its marks are there; the click-to-audio time also waits for the device check.
  const warmFromToken = tokenToAudio(run.warmJoinStepsMs);
  if (run.scenario === '256k-5%-300ms') {
    if (run.signInPageMs > SIGN_IN_MS) misses.push(`sign-in page ${run.signInPageMs} ms`);
    if (join === null || join > JOIN_MS) misses.push(`commune join ${join ?? 'never'} ms`);
    const warm = warmFromToken ?? run.warmJoinMs;
    if ('warmJoinMs' in run && (warm === null || warm > WARM_JOIN_MS))
      misses.push(
        `warm join ${warm ?? 'never'} ms${warmFromToken === null ? '' : ' (token → audio)'}`,
      );
  } else if (join === null) misses.push('commune never joined'); // every figure would be empty
  return { met: misses.length === 0, why: misses.join('; ') || 'all goals met', ...f };
}

export function report(runs) {
  const rows = runs.map((run) => ({ run, v: verdict(run) }));
  const md = [
    '| scenario | commune conceal % | central conceal % | commune speaker fps (changes) | commune best / other fps (res) | commune tiles held / frozen | line up / down kbit/s | sign-in / join (warm join) ms | recovery (back ms, 2nd dropout ms) | load | goals |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(({ run, v }) =>
      run.error
        ? `| ${run.scenario} | — | — | — | — | — | — | — | — | — | failed: ${run.error} |`
        : `| ${run.scenario} | ${v.communeConcealmentPct} | ${v.centralConcealmentPct} | ${v.speakerFps ?? '—'}${v.speakerChanges ? ` (${v.speakerChanges})` : ''} | ${v.bestFps} / ${v.otherFps} (${v.bestResolution ?? '—'}) | ${'communeTiles' in run ? `${v.heldTiles} / ${v.frozenTiles.length}` : '—'} | ${run.lineKbps.up} / ${run.lineKbps.down} | ${run.signInPageMs} / ${run.joinToAudioMs.commune ?? '—'}${tokenToAudioText(run.joinStepsMs)}${'warmJoinMs' in run ? ` (warm ${run.warmJoinMs ?? '—'}${tokenToAudioText(run.warmJoinStepsMs)})` : ''} | ${
            run.recovery
              ? `commune ${run.recovery.commune.audioBackMs ?? '—'}, ${run.recovery.commune.secondDropoutMs}; central ${run.recovery.central.audioBackMs ?? '—'}, ${run.recovery.central.secondDropoutMs}`
              : '—'
          } | ${run.load.start}→${run.load.end} | ${v.met ? 'met' : `missed: ${v.why}`} |`,
    ),
  ];
  // Every warm join of each run, the judged one first and then LOWBAND_WARM_JOINS more (not
  // judged): token → audio of each, with the handshake datagrams the line lost during it.
  const warm = runs.filter((r) => r.moreWarmJoinStepsMs?.length);
  if (warm.length)
    md.push(
      '',
      `Warm joins of each run, the judged one first: token → first audio ms [handshake datagrams the line lost during the join]: ${warm
        .map((r) =>
          [r.warmJoinStepsMs, ...r.moreWarmJoinStepsMs]
            .map((s) => `${tokenToAudio(s) ?? 'never'}${lostText(s)}`)
            .join(', '),
        )
        .join(' | ')}`,
    );
  // Who kept the machine busy in each window: what the load column alone cannot tell apart
  // (the product's own processes from the other sites' browsers sharing this machine).
  const cpu = runs.filter((r) => r.cpu);
  if (cpu.length)
    md.push(
      '',
      `CPU in each window (machine busy % of ${cpu[0].cpu.cores} cores; per part % of one core): ${cpu
        .map(
          (r) =>
            `${r.scenario} ${r.cpu.machineBusyPct} % [${Object.entries(r.cpu.partsPctOfCore)
              .filter(([, pct]) => pct >= 1)
              .map(([part, pct]) => `${part} ${pct}`)
              .join(', ')}]`,
        )
        .join(' | ')}`,
    );
  const met = rows.filter((r) => r.v.met).length;
  return {
    data: { runs, verdicts: rows.map((r) => ({ scenario: r.run.scenario, ...r.v })) },
    markdown: md.join('\n'),
    headline: `${met}/${rows.length} runs met their goals (${round((100 * met) / Math.max(1, rows.length), 0)} %)`,
  };
}
