import type { LimitedSignIn, TokenPair, UserSummary } from '@caunoi/shared';
import type { StoredAuth } from '../api/client';

/** Where a sign-in stands: finished, or the step it still needs (second factor, forced change). */
export type SignInOutcome =
  | { kind: 'done'; user: UserSummary }
  | { kind: 'mfa'; mfaToken: string }
  | { kind: LimitedSignIn['step']; limitedToken: string; user: UserSummary };

/**
 * Reads any answer of the sign-in routes (login, second factor, forced password change, TOTP
 * enrolment): the next step, or — with a token pair — the finished sign-in and what to keep in
 * memory (never the refresh token: the browser has it as an httpOnly cookie). Null when the
 * answer finishes nothing (a password change from the account page).
 */
export function signInOutcome(raw: object): {
  outcome: SignInOutcome | null;
  auth: StoredAuth | null;
} {
  const answer = raw as Partial<TokenPair & LimitedSignIn & { mfaToken: string }>;
  if ('mfaRequired' in answer && answer.mfaToken)
    return { outcome: { kind: 'mfa', mfaToken: answer.mfaToken }, auth: null };
  if (answer.step && answer.limitedToken && answer.user)
    return {
      outcome: { kind: answer.step, limitedToken: answer.limitedToken, user: answer.user },
      auth: null,
    };
  if (!answer.accessToken || !answer.user) return { outcome: null, auth: null };
  return {
    outcome: { kind: 'done', user: answer.user },
    auth: { accessToken: answer.accessToken, user: answer.user },
  };
}
