import { z } from 'zod';
import { text } from '../text';
import { RoleSchema } from '../roles';

export const LoginRequestSchema = z.object({
  email: z.email().max(254),
  password: text().min(1).max(200),
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
