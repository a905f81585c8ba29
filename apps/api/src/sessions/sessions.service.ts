import { Inject, Injectable } from '@nestjs/common';
import type {
  BookedSession,
  ConsultationStatus,
  CreateSession,
  List,
  RescheduleSession,
  SessionListItem,
  SessionListQuery,
  SessionSummary,
  SessionView,
  UserNotification,
} from '@caunoi/shared';
import type { EntityManager } from 'typeorm';
import {
  AccessPolicy,
  ConsultationRelation,
  SessionMembership,
} from '../access/access-policy.service';
import { ConsentGate } from '../patients/consent-gate';
import { AuditService } from '../audit/audit.service';
import { Actor, hasRole } from '../auth/current-user';
import { conflict, notFound, invalidInput } from '../common/errors';
import { CollabNotifier } from '../collaboration/collab-notifier';
import { ConsultationsService } from '../consultations/consultations.service';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { SchedulingService } from '../scheduling/scheduling.service';
import { vietnamLabel } from '../scheduling/vietnam-time';
import { UsersRepository } from '../users/users.repository';
import { partyIssues, partySummary } from '../scheduling/party-issues';
import { isDoubleBooking, SessionRow, SessionsRepository } from './sessions.repository';

/**
 * Booking, reading, moving and cancelling sessions. Double booking is refused by PostgreSQL
 * (exclusion constraints); this service turns that refusal into a 409 naming the bookings in the way.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(SessionsRepository) private readonly repo: SessionsRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(ConsultationsService) private readonly consultations: ConsultationsService,
    @Inject(SchedulingService) private readonly scheduling: SchedulingService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CollabNotifier) private readonly notifier: CollabNotifier,
    @Inject(ConsentGate) private readonly consent: ConsentGate,
  ) {}

  async book(actor: Actor, input: CreateSession): Promise<BookedSession> {
    const consultationIds = [...new Set(input.consultationIds)];
    const participantIds = [...new Set(input.participantIds)];
    const facilityIds = [...new Set(input.facilityIds)];
    const cases: ConsultationRelation[] = [];
    for (const id of consultationIds) {
      const rel = await this.access.consultation(actor, id);
      await this.access.require(
        actor,
        rel.isTargetCoordinator,
        'Only a coordinator of the target facility may schedule this request',
        { type: 'consultation', id, patientId: rel.patientId },
      );
      if (rel.status !== 'accepted') {
        // The same booking posted twice is, first of all, a double booking: answer as SPEC's
        // POST /sessions does (409 with the conflicting bookings), not with the request's state.
        const clash = await this.repo.conflicts(
          participantIds,
          facilityIds,
          input.startsAt,
          input.endsAt,
        );
        if (clash.length) {
          throw conflict(
            `Someone or some site is already booked at that time (and consultation ${id} is already ${rel.status}); choose another slot`,
            clash,
            'double_booked',
          );
        }
        throw conflict(
          `Only an accepted request can be scheduled; consultation ${id} is ${rel.status}`,
          { consultationId: id, status: rel.status },
        );
      }
      await this.consent.requireTeleconsultation(rel.patientId, 'book a session');
      cases.push(rel);
    }
    const people = await this.users.findManyByIds(participantIds);
    const sites = await this.facilities.findManyByIds(facilityIds);
    const invitable = await this.invitableForAll(cases, participantIds);
    const issues = partyIssues({
      userField: 'participantIds',
      userIds: participantIds,
      people,
      facilityIds,
      sites,
      invitable,
    });
    if (issues.length) throw invalidInput(issues, partySummary(issues));

    let id: string;
    try {
      id = await this.repo.transaction(async (m) => {
        const sid = await this.repo.insert(m, {
          title: input.title ?? null,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          organiserFacilityId: actor.user.facilityId,
          createdBy: actor.user.id,
          consultationIds,
          participantIds,
          facilityIds,
        });
        for (const cid of consultationIds)
          await this.consultations.changeStatus(
            actor.user.id,
            cid,
            'accepted',
            'scheduled',
            null,
            m,
          );
        return sid;
      });
    } catch (err) {
      if (isDoubleBooking(err))
        throw await this.doubleBooked(participantIds, facilityIds, input.startsAt, input.endsAt);
      throw err;
    }

    const warnings = await this.scheduling.availabilityWarnings(
      [
        ...people.map((u) => ({ party: { kind: 'user' as const, id: u.id }, name: u.fullName })),
        ...sites.map((f) => ({ party: { kind: 'site' as const, id: f.id }, name: f.name })),
      ],
      new Date(input.startsAt),
      new Date(input.endsAt),
    );
    await this.audit.record(actor, 'session.create', {
      type: 'session',
      id,
      details: { consultationIds, participants: participantIds.length },
    });
    // An invitation opens the case to the people invited: each grant is in the trail.
    await this.audit.recordMany(
      actor,
      'access.grant',
      cases.flatMap((c) =>
        participantIds.map((userId) => ({
          type: 'consultation',
          id: c.consultationId,
          patientId: c.patientId,
          details: { userId, sessionId: id, via: 'invitation' },
        })),
      ),
    );
    const view = await this.view(id);
    this.notify(participantIds, 'session.invited', view);
    return { ...view, warnings };
  }

  /** The participants every covered case may invite (see AccessPolicy.invitable). */
  private async invitableForAll(cases: ConsultationRelation[], ids: string[]): Promise<string[]> {
    let allowed = ids;
    for (const c of cases)
      allowed = await this.access.invitable(allowed, c.requestingFacilityId, c.targetFacilityId);
    return allowed;
  }

  /**
   * Audit an event of a session once per covered request, with its patient (as `session.read`), so
   * `GET /audit?patientId=` shows who joined or was admitted to the conference that showed the
   * patient's records. A session covering nothing gets one row without a patient.
   */
  async auditPerPatient(
    actor: Actor,
    action: string,
    sessionId: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    const covered = await this.repo.consultations(sessionId);
    await this.audit.recordMany(
      actor,
      action,
      covered.length
        ? covered.map((c) => ({
            type: 'session',
            id: sessionId,
            patientId: c.patient.id,
            details: { ...details, consultationId: c.id },
          }))
        : [{ type: 'session', id: sessionId, details }],
    );
  }

  async get(actor: Actor, id: string): Promise<SessionView> {
    const s = await this.access.session(actor, id);
    const view = await this.view(s.id);
    for (const c of view.consultations) {
      await this.audit.record(actor, 'session.read', {
        type: 'session',
        id,
        patientId: c.patient.id,
        details: { consultationId: c.id },
      });
    }
    return view;
  }

  async list(actor: Actor, q: SessionListQuery): Promise<List<SessionListItem>> {
    const rows = await this.repo.listVisible({
      userId: actor.user.id,
      organiserFacilityId: hasRole(actor.user, 'coordinator') ? actor.user.facilityId : null,
      from: q.from,
      to: q.to,
      userIds: q.userIds,
      includeCancelled: q.includeCancelled === 'true',
      mineOnly: q.mine === 'true',
    });
    const parties = await this.repo.partiesOf(rows.map((r) => r.id));
    // A list shows times, people and sites, not patients: no clinical data, so no audit line per row.
    return {
      items: rows.map((r) => ({
        ...summary(r),
        participantIds: [],
        facilityIds: [],
        ...parties.get(r.id),
      })),
    };
  }

  async reschedule(actor: Actor, id: string, input: RescheduleSession): Promise<SessionView> {
    const s = await this.access.session(actor, id);
    await this.requireOrganiser(actor, s);
    const participantIds = (await this.repo.participants(id)).map((p) => p.id);
    const facilityIds = (await this.repo.sites(id)).map((f) => f.id);
    try {
      await this.repo.transaction(async (m) => {
        const locked = await this.repo.findById(id, m, true);
        if (locked!.status !== 'scheduled')
          throw conflict(`Only a scheduled session can be moved; this one is ${locked!.status}`);
        await this.repo.releaseBookings(m, id);
        await this.repo.book(m, id, input.startsAt, input.endsAt, participantIds, facilityIds);
        await this.repo.move(m, id, input.startsAt, input.endsAt);
        await this.repo.recordChange(
          m,
          id,
          'rescheduled',
          input.startsAt,
          input.endsAt,
          actor.user.id,
          null,
        );
      });
    } catch (err) {
      if (isDoubleBooking(err))
        throw await this.doubleBooked(
          participantIds,
          facilityIds,
          input.startsAt,
          input.endsAt,
          id,
        );
      throw err;
    }
    await this.audit.record(actor, 'session.reschedule', {
      type: 'session',
      id,
      details: { startsAt: input.startsAt, endsAt: input.endsAt },
    });
    const view = await this.view(id);
    this.notify(participantIds, 'session.updated', view);
    return view;
  }

  /** Frees the slots (bookings flagged, kept as history) and gives the requests back to scheduling. */
  async cancel(actor: Actor, id: string, reason: string): Promise<SessionView> {
    const s = await this.access.session(actor, id);
    await this.requireOrganiser(actor, s);
    await this.repo.transaction(async (m) => {
      const locked = await this.repo.findById(id, m, true);
      if (locked!.status === 'cancelled') throw conflict('This session is already cancelled');
      if (locked!.status !== 'scheduled')
        throw conflict(`A session that has started cannot be cancelled; it is ${locked!.status}`);
      await this.repo.releaseBookings(m, id);
      await this.repo.markCancelled(m, id, reason);
      await this.repo.recordChange(
        m,
        id,
        'cancelled',
        locked!.startsAt,
        locked!.endsAt,
        actor.user.id,
        reason,
      );
      await this.moveConsultations(m, id, 'scheduled', 'accepted', actor.user.id);
    });
    await this.audit.record(actor, 'session.cancel', { type: 'session', id });
    const view = await this.view(id);
    this.notify(view.participantIds, 'session.cancelled', view);
    return view;
  }

  /** First join: the session and the requests it covers are now in progress (idempotent). */
  async markStarted(sessionId: string, actorId: string | null): Promise<void> {
    await this.repo.transaction(async (m) => {
      if (await this.repo.markStarted(m, sessionId))
        await this.moveConsultations(m, sessionId, 'scheduled', 'in_progress', actorId);
    });
  }

  async view(id: string): Promise<SessionView> {
    const s = await this.repo.findById(id);
    if (!s) throw notFound('Session');
    const [consultations, participants, facilities, history] = await Promise.all([
      this.repo.consultations(id),
      this.repo.participants(id),
      this.repo.sites(id),
      this.repo.history(id),
    ]);
    return {
      ...summary(s),
      consultations,
      consultationIds: consultations.map((c) => c.id),
      participants,
      participantIds: participants.map((p) => p.id),
      facilities,
      facilityIds: facilities.map((f) => f.id),
      history,
    };
  }

  private async requireOrganiser(actor: Actor, s: SessionMembership): Promise<void> {
    await this.access.require(
      actor,
      s.organiser,
      'Only a coordinator of the organising facility may change this session',
      { type: 'session', id: s.id },
    );
  }

  private async moveConsultations(
    m: EntityManager,
    sessionId: string,
    from: ConsultationStatus,
    to: ConsultationStatus,
    actorId: string | null,
  ) {
    for (const c of await this.repo.consultations(sessionId, m)) {
      if (c.status === from)
        await this.consultations.changeStatus(actorId, c.id, from, to, null, m);
    }
  }

  private async doubleBooked(
    userIds: string[],
    facilityIds: string[],
    startsAt: string,
    endsAt: string,
    exceptSessionId?: string,
  ) {
    const conflicts = await this.repo.conflicts(
      userIds,
      facilityIds,
      startsAt,
      endsAt,
      exceptSessionId,
    );
    return conflict(
      'Someone or some site is already booked at that time; choose another slot',
      conflicts,
      'double_booked',
    );
  }

  private notify(
    userIds: string[],
    kind: UserNotification['kind'],
    view: { id: string; title: string | null; startsAt: string },
  ) {
    this.notifier.notify(userIds, {
      kind,
      sessionId: view.id,
      title: `${view.title ?? 'Hội chẩn từ xa'} — ${vietnamLabel(view.startsAt)}`,
      at: new Date().toISOString(),
    });
  }
}

function summary(s: SessionRow): SessionSummary {
  return {
    id: s.id,
    title: s.title,
    status: s.status,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    sequence: s.sequence,
    organiserFacilityId: s.organiserFacilityId,
    openedAt: s.openedAt?.toISOString() ?? null,
    cancelledAt: s.cancelledAt?.toISOString() ?? null,
    cancelReason: s.cancelReason,
  };
}
