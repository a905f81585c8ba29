import { z } from 'zod';

/** A user belongs to one facility and has one or more of these roles (SPEC "Users and roles"). */
export const ROLES = ['requester', 'specialist', 'coordinator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const FACILITY_LEVELS = ['central', 'provincial', 'district', 'commune'] as const;
export const FacilityLevelSchema = z.enum(FACILITY_LEVELS);
export type FacilityLevel = z.infer<typeof FacilityLevelSchema>;

/** Support link kinds: the 1-4-4-2 mentoring chain and standing satellite agreements. */
export const SUPPORT_KINDS = ['mentoring', 'satellite'] as const;
export const SupportKindSchema = z.enum(SUPPORT_KINDS);
export type SupportKind = z.infer<typeof SupportKindSchema>;
