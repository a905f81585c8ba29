import { ReceiveSide } from './receive-side';

const site = (id: string, displayName: string) => ({
  id,
  userId: `u-${id}`,
  displayName,
  facility: { id: null, name: '' },
});

describe('receive side: who is in the room', () => {
  const request = (() => Promise.resolve({})) as unknown as ConstructorParameters<
    typeof ReceiveSide
  >[0];

  it('keeps a site announced while our join was on its way (the answer predates it)', () => {
    const recv = new ReceiveSide(request);
    recv.joinSent();
    recv.peerJoined(site('b', 'BS. Phạm Quốc Tuấn'));
    recv.joined([site('a', 'PGS.TS. Trần Văn Minh')], 'self');
    expect(recv.view().map((p) => p.displayName)).toEqual([
      'PGS.TS. Trần Văn Minh',
      'BS. Phạm Quốc Tuấn',
    ]);
  });

  it('forgets a site announced and gone during the join, and stale sites of an earlier join', () => {
    const recv = new ReceiveSide(request);
    recv.joined([site('old', 'Trạm Y tế xã 1')], 'self');
    recv.joinSent();
    recv.peerJoined(site('b', 'BS. B'));
    recv.peerLeft('b');
    recv.joined([site('a', 'BS. A')], 'self');
    expect(recv.view().map((p) => p.id)).toEqual(['a']);
    // After the join, announcements are ordinary arrivals, not kept for a later answer.
    recv.peerJoined(site('c', 'BS. C'));
    recv.joined([], 'self');
    expect(recv.view()).toEqual([]);
  });
});
