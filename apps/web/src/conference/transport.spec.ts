import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup-client';
import { ICE_SELF_HEAL_MS, IceRecovery } from './transport';

/** The part of a mediasoup-client transport that IceRecovery uses. */
class FakeTransport extends EventEmitter {
  readonly id = 'tr';
  connectionState = 'new';
  restarted: unknown[] = [];
  async restartIce(opts: unknown) {
    this.restarted.push(opts);
  }
  state(s: string) {
    this.connectionState = s;
    this.emit('connectionstatechange', s);
  }
}

const ICE = { usernameFragment: 'u2', password: 'p2', iceLite: true } as ms.IceParameters;

function watch(restartIce: () => Promise<ms.IceParameters>) {
  const transport = new FakeTransport();
  const calls = { restartIce: 0, lost: 0, connected: 0 };
  new IceRecovery().watch(transport as unknown as ms.Transport, {
    onConnected: () => calls.connected++,
    onTrouble: () => true,
    restartIce: () => {
      calls.restartIce++;
      return restartIce();
    },
    onLost: () => calls.lost++,
  });
  return { transport, calls };
}

/** A transport `disconnected` for 2 s has asked the SFU for new parameters; the answer waits. */
async function restartAskedAnswerPending() {
  let answer!: (p: ms.IceParameters) => void;
  const watched = watch(() => new Promise((r) => (answer = r)));
  watched.transport.state('disconnected');
  await jest.advanceTimersByTimeAsync(2000);
  expect(watched.calls.restartIce).toBe(1);
  return { ...watched, answer };
}

describe('IceRecovery', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('restarts ICE after 2 s of `disconnected` with the SFU’s new parameters, once it has not come back by itself', async () => {
    const { transport, calls } = watch(async () => ICE);
    transport.state('disconnected');
    await jest.advanceTimersByTimeAsync(1900);
    expect(calls.restartIce).toBe(0);
    await jest.advanceTimersByTimeAsync(200);
    expect(calls.restartIce).toBe(1);
    // The answer is there; the browser's own checks get their chance first.
    await jest.advanceTimersByTimeAsync(ICE_SELF_HEAL_MS - 300);
    expect(transport.restarted).toEqual([]);
    await jest.advanceTimersByTimeAsync(300);
    expect(transport.restarted).toEqual([{ iceParameters: ICE }]);
    expect(calls.lost).toBe(0);
  });

  it('keeps the path that comes back just after the answer (the line restored after an outage)', async () => {
    const { transport, answer } = await restartAskedAnswerPending();
    answer(ICE); // still disconnected when it arrives
    await jest.advanceTimersByTimeAsync(400);
    transport.state('connected');
    await jest.advanceTimersByTimeAsync(5000);
    expect(transport.restarted).toEqual([]);
    expect(transport.listenerCount('connectionstatechange')).toBe(1);
  });

  it('restarts at once when the transport fails while the answer waits', async () => {
    const { transport } = watch(async () => ICE);
    transport.state('disconnected');
    await jest.advanceTimersByTimeAsync(2000 + 100);
    expect(transport.restarted).toEqual([]);
    transport.state('failed');
    await jest.advanceTimersByTimeAsync(0);
    expect(transport.restarted).toEqual([{ iceParameters: ICE }]);
  });

  it('drops a restart answered after ICE recovered by itself (asked during an outage, answered after it)', async () => {
    const { transport, answer } = await restartAskedAnswerPending();
    transport.state('connected');
    answer(ICE);
    await jest.advanceTimersByTimeAsync(0);
    expect(transport.restarted).toEqual([]);
  });

  it('does nothing when ICE comes back by itself within 2 s (a short outage)', async () => {
    const { transport, calls } = watch(async () => ICE);
    transport.state('disconnected');
    await jest.advanceTimersByTimeAsync(1000);
    transport.state('connected');
    await jest.advanceTimersByTimeAsync(5000);
    expect(calls.restartIce).toBe(0);
    expect(calls.connected).toBe(1);
  });

  it('asks for a rebuild when the SFU no longer has the transport (peer dropped after a long outage)', async () => {
    for (const code of ['not_found', 'conflict']) {
      const { transport, calls } = watch(async () => {
        throw Object.assign(new Error('transport not found'), { code });
      });
      transport.state('failed');
      await jest.advanceTimersByTimeAsync(0);
      expect(calls.restartIce).toBe(1);
      expect(calls.lost).toBe(1);
      expect(transport.restarted).toEqual([]);
    }
  });

  it('a restart that merely timed out (signalling still down) is not a lost transport', async () => {
    const { transport, calls } = watch(async () => {
      throw new Error('operation has timed out');
    });
    transport.state('failed');
    await jest.advanceTimersByTimeAsync(0);
    expect(calls.restartIce).toBe(1);
    expect(calls.lost).toBe(0);
    // The next failure tries again.
    transport.state('failed');
    await jest.advanceTimersByTimeAsync(0);
    expect(calls.restartIce).toBe(2);
  });
});
