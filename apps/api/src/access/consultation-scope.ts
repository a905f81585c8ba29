import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/current-user';
import { APP_CONFIG, AppConfig } from '../config/config.module';

/**
 * THE access rule for a consultation (and through it its patient, attachments and minutes), as
 * one SQL predicate so that single reads and list queries can never disagree:
 *  - requesters of the requesting facility;
 *  - coordinators of the target facility (triage, scheduling), once the request has left draft;
 *  - users assigned to the case, or invited to a (not cancelled) session covering it — which is
 *    how a specialist, of the target facility or any other, comes to see a case. What an
 *    invitation grants ends `INVITATION_ACCESS_DAYS` after the case is closed.
 * Nobody else: not the other specialists of the target facility, not admins (they manage the
 * network and read the audit log; they get no clinical access).
 *
 * `alias` is the consultations table alias; parameters are appended after `offset` existing ones.
 * Shape matters for lists: each arm is indexable (requesting facility, the target queue index,
 * and the user's assignments and sessions evaluated once as an array against the primary key), so
 * PostgreSQL can combine index scans instead of scanning every consultation; an EXISTS arm would
 * prevent that.
 */
@Injectable()
export class ConsultationScope {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The rule as one boolean expression. */
  predicate(user: AuthUser, alias: string, offset: number): { sql: string; params: unknown[] } {
    const { requesting, target, taking, params } = this.parts(user, alias, offset);
    return { sql: `(\n    ${requesting}\n    OR ${target}\n    OR ${taking}\n  )`, params };
  }

  /**
   * The same rule as three disjoint arms (each excludes the rows of the arms before it), for lists:
   * `SELECT … WHERE arm1 UNION ALL SELECT … WHERE arm2 …` lets every arm read its own index in the
   * list's order and stop after one page (an OR of the arms forces PostgreSQL to fetch and sort the
   * whole scope), and the arms' counts add up to the scope's. Same parameters as predicate().
   */
  arms(user: AuthUser, alias: string, offset: number): { arms: string[]; params: unknown[] } {
    const { requesting, target, taking, params } = this.parts(user, alias, offset);
    return {
      arms: [
        requesting,
        `(${target} AND ${requesting} IS NOT TRUE)`,
        `(${taking} AND ${requesting} IS NOT TRUE AND ${target} IS NOT TRUE)`,
      ],
      params,
    };
  }

  /**
   * "Takes part in the case": assigned to it, or invited to a live session of it (one whose case
   * is open, or closed less than the grace period ago). Parameters: the user id, then the grace
   * period in days, appended after `offset`.
   */
  takingPart(alias: string, offset: number): string {
    const p = (n: number) => `$${offset + n}`;
    return `${alias}.id = ANY(ARRAY(
      SELECT ca_scope.consultation_id FROM consultation_assignments ca_scope WHERE ca_scope.user_id = ${p(1)}::uuid
      UNION ALL
      SELECT sc_scope.consultation_id FROM session_participants sp_scope
        JOIN sessions s_scope ON s_scope.id = sp_scope.session_id AND s_scope.status <> 'cancelled'
        JOIN session_consultations sc_scope ON sc_scope.session_id = s_scope.id
        JOIN consultations c_scope ON c_scope.id = sc_scope.consultation_id
       WHERE sp_scope.user_id = ${p(1)}::uuid AND ${invitationLive('c_scope', p(2))}
    ))`;
  }

  /** Days an invitation keeps granting access after its case is closed. */
  get graceDays(): number {
    return this.config.INVITATION_ACCESS_DAYS;
  }

  private parts(user: AuthUser, alias: string, offset: number) {
    const p = (n: number) => `$${offset + n}`;
    const isRequester = user.roles.includes('requester');
    const isCoordinator = user.roles.includes('coordinator');
    const requesting = `(${p(1)}::boolean AND ${alias}.requesting_facility_id = ${p(3)}::uuid)`;
    const target = `(${p(2)}::boolean AND ${alias}.target_facility_id = ${p(3)}::uuid AND ${alias}.status <> 'draft')`;
    return {
      requesting,
      target,
      taking: this.takingPart(alias, offset + 3),
      params: [isRequester, isCoordinator, user.facilityId, user.id, this.graceDays] as unknown[],
    };
  }
}

/** An invitation still grants access: the case is open, or closed less than `days` ago. */
export function invitationLive(alias: string, daysParam: string): string {
  return `(${alias}.closed_at IS NULL OR ${alias}.closed_at > now() - make_interval(days => ${daysParam}::int))`;
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
    sql: `(EXISTS (SELECT 1 FROM session_consultations sc_side
      JOIN session_participants sp_side ON sp_side.session_id = sc_side.session_id AND sp_side.user_id = ${p(1)}::uuid
      WHERE sc_side.consultation_id = ${alias}.id)
      OR EXISTS (SELECT 1 FROM consultation_assignments ca_side
      WHERE ca_side.consultation_id = ${alias}.id AND ca_side.user_id = ${p(1)}::uuid))`,
    params: [user.id],
  };
}
