import type { Role, UpdateFacility, UpdateUser } from '@caunoi/shared';
import type { Facility, UserAccount } from '@caunoi/shared';

/** Lower case without Vietnamese diacritics, so "nguyen van" finds "Nguyễn Văn". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .trim();
}

/** People whose name or e-mail contains every word of the query (diacritics ignored). */
export function matchPeople<T extends { fullName: string; email?: string }>(
  people: T[],
  query: string,
  limit = 8,
): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return people
    .filter((p) => {
      const hay = fold(`${p.fullName} ${p.email ?? ''}`);
      return words.every((w) => hay.includes(w));
    })
    .slice(0, limit);
}

export interface FacilityForm {
  name: string;
  province: string;
  level: Facility['level'];
  /** '' = no region. */
  region: NonNullable<Facility['region']> | '';
}

/** PATCH /facilities/:id body: only what changed (trimmed); null when nothing did. */
export function facilityPatch(original: Facility, form: FacilityForm): UpdateFacility | null {
  const out: UpdateFacility = {};
  if (form.name.trim() !== original.name) out.name = form.name.trim();
  if (form.province.trim() !== (original.province ?? '')) out.province = form.province.trim();
  if (form.level !== original.level) out.level = form.level;
  if (form.region !== (original.region ?? '')) out.region = form.region || null;
  return Object.keys(out).length ? out : null;
}

export interface UserForm {
  fullName: string;
  roles: Role[];
  facilityId: string;
  specialty: string;
  licenseNumber: string;
  active: boolean;
}

export function userForm(u: UserAccount): UserForm {
  return {
    fullName: u.fullName,
    roles: [...u.roles],
    facilityId: u.facilityId ?? '',
    specialty: u.specialty ?? '',
    licenseNumber: u.licenseNumber ?? '',
    active: u.active,
  };
}

/** PATCH /users/:id body: only what changed; empty text clears (null). Null when nothing changed. */
export function userPatch(original: UserAccount, form: UserForm): UpdateUser | null {
  const before = userForm(original);
  const out: UpdateUser = {};
  if (form.fullName.trim() !== before.fullName) out.fullName = form.fullName.trim();
  const sameRoles =
    form.roles.length === before.roles.length && form.roles.every((r) => before.roles.includes(r));
  if (!sameRoles) out.roles = [...form.roles];
  if (form.facilityId !== before.facilityId) out.facilityId = form.facilityId || null;
  if (form.specialty.trim() !== before.specialty) out.specialty = form.specialty.trim() || null;
  if (form.licenseNumber.trim() !== before.licenseNumber)
    out.licenseNumber = form.licenseNumber.trim() || null;
  if (form.active !== before.active) out.active = form.active;
  return Object.keys(out).length ? out : null;
}
