import { SetMetadata } from '@nestjs/common';
import type { Role } from '@caunoi/shared';

export const REQUIRED_ROLES = 'caunoi:roles';
/** The caller needs at least one of these roles. Relationship checks live in AccessPolicy. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
