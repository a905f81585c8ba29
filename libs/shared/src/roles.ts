import { z } from 'zod';

/** A user belongs to one facility and has one or more of these roles (SPEC "Users and roles"). */
export const ROLES = ['requester', 'specialist', 'coordinator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Roles that take part in patient care (and so belong to a facility); `admin` does not. */
export const CLINICAL_ROLES: readonly Role[] = ['requester', 'specialist', 'coordinator'];

export function isClinicalRole(role: Role): boolean {
  return CLINICAL_ROLES.includes(role);
}

/** From the top of the health system down: support flows from a level to the same or a lower one. */
export const FACILITY_LEVELS = ['central', 'provincial', 'district', 'commune'] as const;
export const FacilityLevelSchema = z.enum(FACILITY_LEVELS);
export type FacilityLevel = z.infer<typeof FacilityLevelSchema>;

/** Support link kinds: the 1-4-4-2 mentoring chain and standing satellite agreements. */
export const SUPPORT_KINDS = ['mentoring', 'satellite'] as const;
export const SupportKindSchema = z.enum(SUPPORT_KINDS);
export type SupportKind = z.infer<typeof SupportKindSchema>;
