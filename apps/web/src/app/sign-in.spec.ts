import { signInOutcome } from './sign-in';

const user = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  email: 'a@b.c',
  fullName: 'A',
  roles: ['coordinator' as const],
  facilityId: null,
};

describe('sign-in steps', () => {
  it('a token pair finishes the sign-in and keeps only the access token', () => {
    const r = signInOutcome({ accessToken: 'a.b.c', refreshToken: 'secret-refresh', user });
    expect(r.outcome).toEqual({ kind: 'done', user });
    expect(r.auth).toEqual({ accessToken: 'a.b.c', user });
    expect(JSON.stringify(r.auth)).not.toContain('secret-refresh');
  });

  it('a second factor, a forced password change and a required enrolment are steps, not sign-ins', () => {
    expect(signInOutcome({ mfaRequired: true, mfaToken: 'm'.repeat(20) })).toEqual({
      outcome: { kind: 'mfa', mfaToken: 'm'.repeat(20) },
      auth: null,
    });
    for (const step of ['password_change', 'mfa_enrolment'] as const)
      expect(signInOutcome({ step, limitedToken: 'l'.repeat(20), user })).toEqual({
        outcome: { kind: step, limitedToken: 'l'.repeat(20), user },
        auth: null,
      });
  });

  it('an answer without tokens finishes nothing', () => {
    expect(signInOutcome({ passwordChanged: true })).toEqual({ outcome: null, auth: null });
    expect(signInOutcome({ recoveryCodes: ['abcde-fghij'] }).outcome).toBeNull();
  });
});
