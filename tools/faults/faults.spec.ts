// Fault injection against the real processes of `npm start`: kill -9 a mediasoup worker, the SFU,
// the API (with two WebRTC peers in a conference and writes going on) and the embedded
// PostgreSQL (while writing), then SIGTERM the `npm start` process. Each step checks that the
// system recovered on its own and prints what it measured ("[measured] …" lines: recovery times,
// frames, write counts). Limits below only end a test that would otherwise wait forever; the
// figures are reported, not asserted (docs/operations.md lists them).
import { randomUUID } from 'crypto';
import { MediaPeer, joinToken } from './support/media-peer';
import { alive, cmdline, holdPort, measured, secondsSince, Stack, until } from './support/stack';
import { login, PatientWriter, storedByNationalId, type WriteOutcome } from './support/writer';

jest.setTimeout(180_000);

describe('faults: the launched system recovers from killed processes', () => {
  let stack: Stack;
  const peers: MediaPeer[] = [];
  const room = randomUUID();
  let token = '';

  beforeAll(async () => {
    stack = await Stack.launch();
    token = await login(stack.api, 'requester@district-1.demo');
    const key = stack.secrets.JOIN_TOKEN_PRIVATE_KEY;
    for (const name of ['Bệnh viện Trung ương', 'Trạm Y tế xã'])
      peers.push(new MediaPeer(stack.sfu, joinToken(key, room, name), name));
    await bothReceiving(60_000, 'the peers never received video');
  }, 180_000);

  afterAll(() => {
    for (const p of peers) p.close();
    stack?.cleanup();
  });

  /** Both peers decode frames that arrived after `since` (and after their latest join). */
  const bothReceiving = (timeoutMs: number, message: string, since = 0) =>
    until(
      () => peers.every((p) => p.firstFrameSinceJoinAt > since && p.lastFrameAt > since),
      timeoutMs,
      () =>
        `${message}: ${JSON.stringify(peers.map((p) => ({ frames: p.frames, joins: p.joins, errors: p.errors.slice(-3) })))}\n${stack.tail()}`,
    );

  /** Every acknowledged write is stored exactly once; nothing of this run is stored twice. */
  async function expectExactlyOnce(writer: PatientWriter): Promise<void> {
    const stored = await storedByNationalId(stack.api, token, writer.marker);
    const acked = writer.acknowledged;
    const missing = acked.filter(
      (o: WriteOutcome) => (stored.get(o.nationalId) ?? []).length === 0,
    );
    const twice = [...stored].filter(([, ids]) => ids.length > 1);
    const wrongId = acked.filter((o) => !(stored.get(o.nationalId) ?? []).includes(o.id!));
    expect({ missing, twice, wrongId }).toEqual({ missing: [], twice: [], wrongId: [] });
  }

  it('kill -9 of a mediasoup worker: the SFU replaces it and media comes back', async () => {
    const [worker] = stack.workerPids();
    expect(worker).toBeGreaterThan(0);
    const joins = peers.map((p) => p.joins);
    const killedAt = Date.now();
    process.kill(worker, 'SIGKILL');
    const replaced = await until(
      () => stack.workerPids().find((p) => p !== worker),
      30_000,
      'the worker was not replaced',
    );
    const replacedAfter = secondsSince(killedAt);
    await bothReceiving(30_000, 'no video after the worker died', killedAt);
    expect(peers.map((p) => p.joins > joins[peers.indexOf(p)])).toEqual([true, true]);
    expect(alive(stack.pid('sfu'))).toBe(true);
    measured('faults: mediasoup worker kill -9', {
      newWorkerAfterS: replacedAfter,
      videoBackAfterS: peers.map((p) => secondsSince(killedAt, p.firstFrameSinceJoinAt)),
      sfuPid: stack.pid('sfu'),
      newWorkerPid: replaced,
    });
  });

  it('kill -9 of the SFU: the supervisor restarts it and the clients rejoin', async () => {
    const sfu = stack.pid('sfu');
    const apiPid = stack.pid('api');
    const from = stack.log.length;
    const killedAt = Date.now();
    process.kill(sfu, 'SIGKILL');
    const back = await stack.waitForLog(
      /sfu is back \(pid (\d+)\), ([\d.]+) s after it died/,
      60_000,
      from,
    );
    const sfuBackAfter = secondsSince(killedAt);
    await bothReceiving(60_000, 'no video after the SFU restarted', killedAt);
    expect(Number(back[1])).not.toBe(sfu);
    expect(stack.pid('api')).toBe(apiPid); // the others were left alone
    expect(stack.exit).toBeUndefined();
    measured('faults: SFU kill -9', {
      supervisorReportedBackS: Number(back[2]),
      healthyAfterS: sfuBackAfter,
      videoBackAfterS: peers.map((p) => secondsSince(killedAt, p.firstFrameSinceJoinAt)),
    });
  });

  it('kill -9 of the API mid-conference: media keeps flowing, the API restarts, acknowledged writes survive', async () => {
    const writer = new PatientWriter(stack.api, token, `Lỗi API ${randomUUID().slice(0, 8)}`);
    writer.start(2);
    await until(() => writer.acknowledged.length >= 10, 30_000, 'no acknowledged writes');
    const api = stack.pid('api');
    const sfu = stack.pid('sfu');
    const joins = peers.map((p) => p.joins);
    const framesAtKill = peers.map((p) => p.frames);
    const from = stack.log.length;
    const killedAt = Date.now();
    process.kill(api, 'SIGKILL');
    const back = await stack.waitForLog(
      /api is back \(pid (\d+)\), ([\d.]+) s after it died/,
      120_000,
      from,
    );
    const apiBackAt = Date.now();
    const framesDuringOutage = peers.map((p, i) => p.frames - framesAtKill[i]);
    await until(
      () => writer.outcomes.some((o) => o.at > apiBackAt && o.id),
      30_000,
      'no acknowledged write after the API came back',
    );
    await writer.stop();
    // The SFU carried the conference alone: same process, same peers, frames all along.
    expect(framesDuringOutage.every((n) => n > 0)).toBe(true);
    expect(peers.map((p) => p.joins)).toEqual(joins);
    expect(peers.every((p) => p.connected)).toBe(true);
    expect(stack.pid('sfu')).toBe(sfu);
    await expectExactlyOnce(writer);
    const outageS = Number(back[2]);
    measured('faults: API kill -9 with 2 peers in a conference', {
      apiBackS: outageS,
      framesDuringOutage,
      fpsDuringOutage: framesDuringOutage.map((n) =>
        Number((n / secondsSince(killedAt, apiBackAt)).toFixed(1)),
      ),
      acknowledgedWrites: writer.acknowledged.length,
      acknowledgedBeforeKill: writer.acknowledged.filter((o) => o.at < killedAt).length,
      statuses: writer.statusCounts(),
    });
  });

  it('kill -9 of the embedded PostgreSQL while writing: restarted, zero lost or duplicated acknowledged writes', async () => {
    const writer = new PatientWriter(stack.api, token, `Lỗi CSDL ${randomUUID().slice(0, 8)}`);
    writer.start(3);
    await until(() => writer.acknowledged.length >= 20, 30_000, 'no acknowledged writes');
    const db = stack.pid('db');
    const apiPid = stack.pid('api');
    const from = stack.log.length;
    const killedAt = Date.now();
    process.kill(db, 'SIGKILL');
    const back = await stack.waitForLog(
      /db is back \(pid (\d+)\), ([\d.]+) s after it died/,
      60_000,
      from,
    );
    const firstAckAfter = await until(
      () => writer.outcomes.find((o) => o.at > killedAt + 200 && o.id && o.status === 201),
      60_000,
      () =>
        `no acknowledged write after PostgreSQL came back: ${JSON.stringify(writer.statusCounts())}`,
    );
    const ackAfterAt = Date.now();
    await until(
      () => writer.outcomes.filter((o) => o.at > ackAfterAt && o.id).length >= 20,
      30_000,
      'writes did not continue',
    );
    await writer.stop();
    await expectExactlyOnce(writer);
    const during = writer.outcomes.filter((o) => o.at >= killedAt && o.at < firstAckAfter.at);
    const counts: Record<string, number> = {};
    for (const o of during) counts[o.status] = (counts[o.status] ?? 0) + 1;
    measured('faults: PostgreSQL kill -9 while writing', {
      dbBackS: Number(back[2]),
      writesAcknowledgedAgainAfterS: secondsSince(killedAt, firstAckAfter.at),
      apiRestarted: stack.pid('api') !== apiPid,
      attempts: writer.outcomes.length,
      acknowledged: writer.acknowledged.length,
      answersDuringOutage: counts,
    });
  });

  it('SIGTERM to the `npm start` process: every child gone, exit code 0', async () => {
    const tree = stack.tree();
    expect(tree.length).toBeGreaterThanOrEqual(5); // launcher, db, api, sfu, web (+ workers, backends)
    const launcher = stack.launcherPid();
    const sentAt = Date.now();
    process.kill(stack.npm.pid!, 'SIGTERM');
    await until(
      () => stack.exit,
      15_000,
      () => `npm start did not exit:\n${stack.tail()}`,
    );
    const left = await until(
      () => (tree.some(alive) ? undefined : []),
      10_000,
      () => `still running: ${tree.filter(alive).join(', ')}`,
      20,
    );
    const allGoneS = secondsSince(sentAt);
    expect({ left, code: stack.exit!.code, signal: stack.exit!.signal }).toEqual({
      left: [],
      code: 0,
      signal: null,
    });
    expect(stack.log).toMatch(/SIGTERM received; stopping everything/);
    measured('faults: SIGTERM to npm start', {
      processes: tree.length,
      npmExitedAfterS: secondsSince(sentAt, stack.exit!.at),
      allGoneAfterS: allGoneS,
      launcherReported: stack.log.match(/stopped in ([\d.]+) s/)?.[1],
      launcherPid: launcher,
    });
  });
});

describe('faults: a crash loop ends `npm start` with a non-zero exit code', () => {
  it('an SFU that dies at once (its media port is taken) is given up; everything stops; exit 1', async () => {
    const blocker = await holdPort();
    const stack = await Stack.spawn({}, { rtc: blocker.port });
    try {
      const startedAt = Date.now();
      await until(
        () => stack.exit,
        120_000,
        () => `npm start kept running:\n${stack.tail()}`,
        100,
      );
      const tree = stack.tree();
      expect({ code: stack.exit!.code, left: tree }).toEqual({ code: 1, left: [] });
      expect(stack.log).toMatch(/sfu died 5 times within 60 s .*crash loop/);
      expect(stack.log).toMatch(/sfu cannot be kept running/);
      measured('faults: crash loop at start', {
        exitCode: stack.exit!.code,
        exitedAfterS: secondsSince(startedAt, stack.exit!.at),
        deaths: (stack.log.match(/sfu died \(/g) ?? []).length + 1,
      });
    } finally {
      blocker.close();
      stack.cleanup();
    }
  });
});

describe('faults: stopping from a terminal, and a crash loop after start-up', () => {
  it("Ctrl+C (SIGINT to npm start's process group): workers are not replaced mid-stop, all gone, exit 0", async () => {
    const stack = await Stack.launch();
    try {
      const tree = stack.tree();
      const from = stack.log.length;
      const sentAt = Date.now();
      process.kill(-stack.npm.pid!, 'SIGINT');
      await until(
        () => stack.exit,
        15_000,
        () => `npm start did not exit:\n${stack.tail()}`,
      );
      await until(
        () => !tree.some(alive),
        10_000,
        () => `still running: ${tree.filter(alive).map(cmdline).join(' | ')}`,
        20,
      );
      const allGoneS = secondsSince(sentAt);
      const after = stack.log.slice(from);
      expect(stack.exit!.code).toBe(0);
      expect(after).not.toMatch(
        /worker died|worker replaced|did not stop within|killing everything/,
      );
      measured('faults: Ctrl+C to npm start', {
        processes: tree.length,
        npmExitedAfterS: secondsSince(sentAt, stack.exit!.at),
        allGoneAfterS: allGoneS,
        launcherReported: after.match(/stopped in ([\d.]+) s/)?.[1],
      });
    } finally {
      stack.cleanup();
    }
  });

  it('an API killed 5 times within a minute is given up: everything stops, exit 1', async () => {
    const stack = await Stack.launch();
    try {
      const tree = stack.tree();
      const startedAt = Date.now();
      for (let death = 1; death <= 5; death++) {
        const pid = stack.pid('api');
        process.kill(pid, 'SIGKILL');
        if (death < 5)
          await until(
            () => stack.pid('api') !== pid || stack.exit,
            30_000,
            () => `the API was not restarted after death ${death}:\n${stack.tail()}`,
            50,
          );
      }
      await until(
        () => stack.exit,
        30_000,
        () => `npm start kept running:\n${stack.tail()}`,
      );
      await until(() => !tree.some(alive), 10_000, 'children left running', 20);
      expect(stack.exit!.code).toBe(1);
      expect(stack.log).toMatch(/api died 5 times within 60 s \(last: killed by SIGKILL\)/);
      measured('faults: crash loop after start-up (API killed 5 times)', {
        exitCode: stack.exit!.code,
        exitedAfterS: secondsSince(startedAt, stack.exit!.at),
        restartsLogged: (stack.log.match(/api died \(/g) ?? []).length,
      });
    } finally {
      stack.cleanup();
    }
  });
});
