import { isOverdue, triageOrder, waitingMinutes } from './triage';

const now = new Date('2026-11-23T10:00:00Z');
const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();

describe('triage queue', () => {
  it('measures waiting from submission, else creation', () => {
    expect(waitingMinutes({ submittedAt: at(45), createdAt: at(600) }, now)).toBe(45);
    expect(waitingMinutes({ submittedAt: null, createdAt: at(600) }, now)).toBe(600);
  });

  it('flags overdue requests by urgency', () => {
    expect(isOverdue({ urgency: 'emergency', createdAt: at(31) }, now)).toBe(true);
    expect(isOverdue({ urgency: 'emergency', createdAt: at(29) }, now)).toBe(false);
    expect(isOverdue({ urgency: 'urgent', createdAt: at(5 * 60) }, now)).toBe(true);
    expect(isOverdue({ urgency: 'routine', createdAt: at(5 * 60) }, now)).toBe(false);
  });

  it('orders by urgency, then longest waiting', () => {
    const list = [
      { id: 'a', urgency: 'routine' as const, createdAt: at(1000) },
      { id: 'b', urgency: 'emergency' as const, createdAt: at(5) },
      { id: 'c', urgency: 'urgent' as const, createdAt: at(10) },
      { id: 'd', urgency: 'urgent' as const, createdAt: at(100) },
    ];
    expect(triageOrder(list).map((c) => c.id)).toEqual(['b', 'd', 'c', 'a']);
  });
});
