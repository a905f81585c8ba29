import type { ResumeResult } from '@caunoi/shared';
import { planResume, type LocalMedia } from './resume';

const local: LocalMedia = {
  selfPeerId: 'p1',
  sendTransportId: 'ts',
  recvTransportId: 'tr',
  consumerIds: ['c1', 'c2'],
};
const answer = (over: Partial<ResumeResult> = {}): ResumeResult => ({
  peerId: 'p1',
  media: true,
  transports: [
    { id: 'ts', direction: 'send', iceState: 'completed', dtlsState: 'connected' },
    { id: 'tr', direction: 'recv', iceState: 'disconnected', dtlsState: 'connected' },
  ],
  producers: [],
  consumers: [{ id: 'c1', producerId: 'x', peerId: 'p2', kind: 'audio', paused: false }],
  ...over,
});

describe('planResume', () => {
  it('keeps live transports and drops only the consumers the SFU no longer holds', () => {
    expect(planResume(local, answer())).toEqual({ keep: true, dropConsumers: ['c2'] });
  });
  it('rebuilds when the SFU has no media, another peer, or lost a transport', () => {
    expect(planResume(local, null).keep).toBe(false);
    expect(planResume(local, answer({ media: false })).keep).toBe(false);
    expect(planResume(local, answer({ peerId: 'p9' })).keep).toBe(false);
    const failed = answer();
    failed.transports[1]!.dtlsState = 'failed';
    expect(planResume(local, failed).keep).toBe(false);
    expect(planResume({ ...local, recvTransportId: 'other' }, answer()).keep).toBe(false);
    expect(planResume({ ...local, sendTransportId: null }, answer()).keep).toBe(false);
  });
});
