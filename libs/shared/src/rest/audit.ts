import { z } from 'zod';
import { text } from '../text';
import { InstantSchema } from './common';

export const AuditQuerySchema = z.object({
  patientId: z.uuid().optional(),
  actorId: z.uuid().optional(),
  action: text().max(100).optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** `GET /audit` items, newest first. `action` is `domain.verb` (e.g. `attachment.download`). */
export const AuditEventSchema = z.object({
  id: z.string(),
  at: InstantSchema,
  actorId: z.uuid().nullable(),
  actor: z.object({ id: z.uuid(), fullName: z.string(), email: z.string() }).nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  patientId: z.uuid().nullable(),
  /** The caller's network address. */
  address: z.string().nullable(),
  /** Ids and counts only, never clinical text. */
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
