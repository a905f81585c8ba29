import { z } from 'zod';
import { text } from './text';
import { RoleSchema } from './roles';
import { SessionKindSchema } from './session-kinds';

/**
 * Claims of the short-lived join token the API signs (ES256, API's private key) and the SFU
 * verifies (public key only). The SFU learns who joins and from which site, nothing clinical.
 */
export const JOIN_TOKEN_ISSUER = 'caunoi-api';
export const JOIN_TOKEN_AUDIENCE = 'caunoi-sfu';
export const JOIN_TOKEN_ALGORITHM = 'ES256';

export const JoinTokenClaimsSchema = z.object({
  sub: z.uuid(), // user id
  sid: z.uuid(), // session id == SFU room id
  name: text().max(200),
  role: RoleSchema,
  facility: z.object({ id: z.uuid().nullable(), name: text().max(300) }),
  /** A coordinator may open the room and moderate it. */
  moderator: z.boolean().default(false),
  /** The room's policy: a `training` room lets only the presenter and the floor holder send
   * media (absent: `consultation`, everyone sends). */
  kind: SessionKindSchema.optional(),
  /** In a training room: this participant presents (sends media without asking for the floor). */
  presenter: z.boolean().optional(),
});
export type JoinTokenClaims = z.infer<typeof JoinTokenClaimsSchema>;

/** Attendance the SFU reports back to the API (service-authenticated). */
export const AttendanceEventSchema = z.object({
  sessionId: z.uuid(),
  userId: z.uuid(),
  peerId: text().min(1).max(100),
  event: z.enum(['joined', 'left']),
  at: z.iso.datetime({ offset: true }),
});
export type AttendanceEvent = z.infer<typeof AttendanceEventSchema>;
