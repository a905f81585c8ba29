import { allowedTransitions, canTransition, CONSULTATION_STATUSES } from './consultation-states';
import { CreatePatientSchema, CreateSessionSchema } from './rest';

describe('consultation lifecycle', () => {
  it('follows SPEC: draft → submitted → accepted → scheduled → in_progress → completed', () => {
    expect(canTransition('draft', 'submitted')).toBe(true);
    expect(canTransition('submitted', 'accepted')).toBe(true);
    expect(canTransition('accepted', 'scheduled')).toBe(true);
    expect(canTransition('scheduled', 'in_progress')).toBe(true);
    expect(canTransition('in_progress', 'completed')).toBe(true);
    expect(canTransition('submitted', 'declined')).toBe(true);
  });
  it('allows cancel from every state before completed, and nothing out of a final state', () => {
    for (const s of CONSULTATION_STATUSES) {
      const final = ['completed', 'declined', 'cancelled'].includes(s);
      expect(canTransition(s, 'cancelled')).toBe(!final);
      if (final) expect(allowedTransitions(s)).toEqual([]);
    }
    expect(canTransition('draft', 'completed')).toBe(false);
  });
});

describe('REST schemas', () => {
  it('names the bad field', () => {
    const r = CreatePatientSchema.safeParse({
      fullName: 'Nguyễn Văn A',
      dateOfBirth: '1970-01-01',
      sex: 'male',
      nationalId: '123',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['nationalId']);
  });
  it('refuses a session that ends before it starts', () => {
    const r = CreateSessionSchema.safeParse({
      consultationIds: ['0b5f2a7e-8d53-4c1a-9f0e-3c1d2b4a5e6f'],
      participantIds: ['0b5f2a7e-8d53-4c1a-9f0e-3c1d2b4a5e6f'],
      startsAt: '2026-12-01T03:00:00Z',
      endsAt: '2026-12-01T02:00:00Z',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['endsAt']);
  });
});
