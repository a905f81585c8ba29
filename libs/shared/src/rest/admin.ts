import { z } from 'zod';
import { UrgencySchema } from '../consultation-states';
import { FacilityLevelSchema, RoleSchema, SupportKindSchema } from '../roles';
import { RegionSchema } from '../sfu-nodes';
import { text } from '../text';
import { NewPasswordSchema, UserSummarySchema } from './auth';

/** Admin endpoints: facilities, support links and users (SPEC "Users and roles"). */
export const CreateFacilitySchema = z.object({
  code: z
    .string()
    .trim()
    .min(2)
    .max(40)
    .regex(/^[A-Z0-9-]+$/, 'code must be capital letters, digits or dashes'),
  name: text().trim().min(2).max(300),
  province: text().trim().min(2).max(100),
  level: FacilityLevelSchema,
  /** Where the facility is: rooms of its cases are placed on an SFU node of that region. Null clears it. */
  region: RegionSchema.nullable().optional(),
});
export type CreateFacility = z.infer<typeof CreateFacilitySchema>;

export const UpdateFacilitySchema = CreateFacilitySchema.omit({ code: true }).partial();
export type UpdateFacility = z.infer<typeof UpdateFacilitySchema>;

export const FacilityListQuerySchema = z.object({
  level: FacilityLevelSchema.optional(),
  province: text().max(100).optional(),
  q: text().trim().max(200).optional(),
});
export type FacilityListQuery = z.infer<typeof FacilityListQuerySchema>;

export const CreateSupportLinkSchema = z.object({
  supporterId: z.uuid(),
  supportedId: z.uuid(),
  kind: SupportKindSchema,
});
export type CreateSupportLink = z.infer<typeof CreateSupportLinkSchema>;

/** Practising licence number (chứng chỉ hành nghề), e.g. "001245/BYT-CCHN". */
export const LicenseNumberSchema = z
  .string()
  .trim()
  .regex(
    /^[0-9A-Za-z][0-9A-Za-z/.-]{3,39}$/,
    'licenseNumber must be 4-40 letters, digits, "/", "." or "-"',
  );

export const CreateUserSchema = z.object({
  email: z.email().max(254),
  password: NewPasswordSchema,
  fullName: text().trim().min(2).max(200),
  roles: z.array(RoleSchema).min(1).max(4),
  facilityId: z.uuid().nullable(),
  specialty: text().trim().max(100).nullable().optional(),
  licenseNumber: LicenseNumberSchema.nullable().optional(),
});
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = CreateUserSchema.omit({ email: true })
  .partial()
  .extend({
    active: z.boolean().optional(),
    /**
     * Removes the user's TOTP authenticator and recovery codes (a lost phone) and ends their
     * sign-ins; they enrol again at next sign-in when their role requires it. Not on oneself.
     */
    resetSecondFactor: z.literal(true).optional(),
  });
export type UpdateUser = z.infer<typeof UpdateUserSchema>;

export const UserListQuerySchema = z.object({
  /** Part of the name or e-mail, accent- and case-insensitive ("nguyen" finds "Nguyễn"). */
  q: text().trim().min(1).max(100).optional(),
  facilityId: z.uuid().optional(),
  role: RoleSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

/** Reports (SPEC "Reports"): months are calendar months in Asia/Ho_Chi_Minh. */
export const ReportQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  facilityId: z.uuid().optional(),
});
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** `GET /facilities` items; `POST /facilities`, `PATCH /facilities/:id`. */
export const FacilitySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  province: z.string(),
  level: FacilityLevelSchema,
  region: RegionSchema.nullable(),
});
export type Facility = z.infer<typeof FacilitySchema>;

/** The other end of a support link, seen from one facility. */
export const FacilityLinkSchema = z.object({
  linkId: z.uuid(),
  kind: SupportKindSchema,
  facility: FacilitySchema,
});
export type FacilityLink = z.infer<typeof FacilityLinkSchema>;

/** `GET /facilities/:id`: who supports the facility and whom it supports. */
export const FacilityDetailSchema = FacilitySchema.extend({
  supportedBy: z.array(FacilityLinkSchema),
  supports: z.array(FacilityLinkSchema),
});
export type FacilityDetail = z.infer<typeof FacilityDetailSchema>;

/** `POST /support-links`. */
export const SupportLinkSchema = z.object({
  id: z.uuid(),
  kind: SupportKindSchema,
  supporter: FacilitySchema,
  supported: FacilitySchema,
});
export type SupportLink = z.infer<typeof SupportLinkSchema>;

/** `GET /users` items, `GET|PATCH /users/:id`, `POST /users`. */
export const UserAccountSchema = UserSummarySchema.extend({ active: z.boolean() });
export type UserAccount = z.infer<typeof UserAccountSchema>;

/** `GET /reports/sessions-per-facility` items: sessions held per site and month (Vietnam time). */
export const SessionsPerFacilityRowSchema = z.object({
  facilityId: z.uuid(),
  facilityName: z.string(),
  level: FacilityLevelSchema,
  /** YYYY-MM */
  month: z.string(),
  sessions: z.number().int(),
});
export type SessionsPerFacilityRow = z.infer<typeof SessionsPerFacilityRowSchema>;

/** `GET /reports/time-to-session` items: median hours from submission to the first session. */
export const TimeToSessionRowSchema = z.object({
  urgency: UrgencySchema,
  consultations: z.number().int(),
  medianHours: z.number(),
});
export type TimeToSessionRow = z.infer<typeof TimeToSessionRowSchema>;
