import { z } from 'zod';
import { text } from '../text';
import { RoleSchema } from '../roles';

/**
 * bcrypt reads only the first 72 bytes of a password: a longer one would let a different password
 * sharing those bytes sign in. Longer passwords are refused (at login too), measured in UTF-8 bytes.
 */
export const PASSWORD_MAX_BYTES = 72;
const withinBcryptBytes = (s: string) => new TextEncoder().encode(s).length <= PASSWORD_MAX_BYTES;
const BYTES_MESSAGE = `password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`;

/** A password an account may be given: 10 characters to 72 bytes. */
export const NewPasswordSchema = text()
  .min(10, 'password must be at least 10 characters')
  .refine(withinBcryptBytes, BYTES_MESSAGE);

export const LoginRequestSchema = z.object({
  email: z.email().max(254),
  password: text().min(1).refine(withinBcryptBytes, BYTES_MESSAGE),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: text().min(16).max(4096) });
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const UserSummarySchema = z.object({
  id: z.uuid(),
  email: z.string(),
  fullName: z.string(),
  roles: z.array(RoleSchema),
  facilityId: z.uuid().nullable(),
  specialty: z.string().nullable().optional(),
  licenseNumber: z.string().nullable().optional(),
});
export type UserSummary = z.infer<typeof UserSummarySchema>;

export const TokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  user: UserSummarySchema,
});
export type TokenPair = z.infer<typeof TokenPairSchema>;

/**
 * `POST /auth/login` when the password alone does not finish the sign-in. Each carries a short,
 * single-purpose token: `mfaToken` is only accepted by `POST /auth/mfa`; `limitedToken` (a bearer
 * token) only by the routes of the step it names (`POST /me/password`, `POST /me/mfa/totp…`).
 */
export const MfaChallengeSchema = z.object({ mfaRequired: z.literal(true), mfaToken: z.string() });
export const LimitedSignInSchema = z.object({
  step: z.enum(['password_change', 'mfa_enrolment']),
  limitedToken: z.string(),
  user: UserSummarySchema,
});
export type LimitedSignIn = z.infer<typeof LimitedSignInSchema>;
export const LoginResponseSchema = z.union([
  TokenPairSchema,
  MfaChallengeSchema,
  LimitedSignInSchema,
]);
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** A TOTP code (6 digits) or a one-time recovery code (xxxxx-xxxxx). */
export const MfaCodeSchema = z
  .string()
  .trim()
  .regex(/^([0-9]{6}|[a-z0-9]{5}-[a-z0-9]{5})$/, 'code must be 6 digits or a recovery code');

export const MfaLoginRequestSchema = z.object({
  mfaToken: z.string().min(16).max(4096),
  code: MfaCodeSchema,
});
export const TotpVerifyRequestSchema = z.object({ code: MfaCodeSchema });
export const TotpEnrolmentSchema = z.object({ secret: z.string(), otpauthUri: z.string() });
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

export const ChangePasswordRequestSchema = z.object({
  currentPassword: text().min(1).refine(withinBcryptBytes, BYTES_MESSAGE),
  newPassword: NewPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

/** `POST /auth/mfa`: the tokens, or the sign-in's next step (a forced password change). */
export const MfaLoginResponseSchema = z.union([TokenPairSchema, LimitedSignInSchema]);

/**
 * `POST /me/password`: `{ passwordChanged: true }` from a full sign-in; from a forced change, the
 * sign-in's next step or its tokens.
 */
export const PasswordChangedSchema = z.union([
  z.object({ passwordChanged: z.literal(true) }),
  TokenPairSchema,
  LimitedSignInSchema,
]);

/**
 * `POST /me/mfa/totp/verify`: the recovery codes (shown once); during an enrolment step also the
 * sign-in's next step or its tokens.
 */
const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const TotpActivatedSchema = z.union([
  RecoveryCodesSchema.extend(TokenPairSchema.shape),
  RecoveryCodesSchema.extend(LimitedSignInSchema.shape),
  RecoveryCodesSchema,
]);
export type TotpActivated = z.infer<typeof TotpActivatedSchema>;
