import type { AuthUser } from '../auth/current-user';

/**
 * THE access rule for a consultation (and through it its patient, attachments and minutes), as
 * one SQL predicate so that single reads and list queries can never disagree:
 *  - requesters of the requesting facility;
 *  - coordinators and specialists of the target facility, once the request has left draft;
 *  - users invited to a (not cancelled) session covering it.
 * Admins manage the network and read the audit log; they get no clinical access.
 *
 * `alias` is the consultations table alias; parameters are appended after `offset` existing ones.
 * Shape matters for lists: each arm is indexable (requesting facility, the target queue index,
 * and the user's sessions evaluated once as an array against the primary key), so PostgreSQL can
 * combine index scans instead of scanning every consultation; an EXISTS arm would prevent that.
 */
export function consultationScope(
  user: AuthUser,
  alias: string,
  offset: number,
): { sql: string; params: unknown[] } {
  const { requesting, target, invited, params } = scopeParts(user, alias, offset);
  return { sql: `(\n    ${requesting}\n    OR ${target}\n    OR ${invited}\n  )`, params };
}

/**
 * The same rule as three disjoint arms (each excludes the rows of the arms before it), for lists:
 * `SELECT … WHERE arm1 UNION ALL SELECT … WHERE arm2 …` lets every arm read its own index in the
 * list's order and stop after one page (an OR of the arms forces PostgreSQL to fetch and sort the
 * whole scope), and the arms' counts add up to the scope's. Same parameters as consultationScope.
 */
export function consultationScopeArms(
  user: AuthUser,
  alias: string,
  offset: number,
): { arms: string[]; params: unknown[] } {
  const { requesting, target, invited, params } = scopeParts(user, alias, offset);
  return {
    arms: [
      requesting,
      `(${target} AND ${requesting} IS NOT TRUE)`,
      `(${invited} AND ${requesting} IS NOT TRUE AND ${target} IS NOT TRUE)`,
    ],
    params,
  };
}

function scopeParts(user: AuthUser, alias: string, offset: number) {
  const p = (n: number) => `$${offset + n}`;
  const isRequester = user.roles.includes('requester');
  const isTargetSide = user.roles.includes('coordinator') || user.roles.includes('specialist');
  const requesting = `(${p(1)}::boolean AND ${alias}.requesting_facility_id = ${p(3)}::uuid)`;
  const target = `(${p(2)}::boolean AND ${alias}.target_facility_id = ${p(3)}::uuid AND ${alias}.status <> 'draft')`;
  const invited = `${alias}.id = ANY(ARRAY(
      SELECT sc_scope.consultation_id FROM session_participants sp_scope
        JOIN sessions s_scope ON s_scope.id = sp_scope.session_id AND s_scope.status <> 'cancelled'
        JOIN session_consultations sc_scope ON sc_scope.session_id = s_scope.id
       WHERE sp_scope.user_id = ${p(4)}::uuid
    ))`;
  return {
    requesting,
    target,
    invited,
    params: [isRequester, isTargetSide, user.facilityId, user.id] as unknown[],
  };
}

/** Which side of a visible consultation the user stands on (for `?role=` filters and permissions). */
export function sideFilter(
  side: 'requester' | 'target' | 'participant',
  user: AuthUser,
  alias: string,
  offset: number,
): { sql: string; params: unknown[] } {
  const p = (n: number) => `$${offset + n}`;
  if (side === 'requester')
    return { sql: `${alias}.requesting_facility_id = ${p(1)}::uuid`, params: [user.facilityId] };
  if (side === 'target')
    return { sql: `${alias}.target_facility_id = ${p(1)}::uuid`, params: [user.facilityId] };
  return {
    sql: `EXISTS (SELECT 1 FROM session_consultations sc_side
      JOIN session_participants sp_side ON sp_side.session_id = sc_side.session_id AND sp_side.user_id = ${p(1)}::uuid
      WHERE sc_side.consultation_id = ${alias}.id)`,
    params: [user.id],
  };
}
