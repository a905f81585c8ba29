import { Inject, Injectable } from '@nestjs/common';
import type {
  ConsultationStatus,
  List,
  RescheduleSession,
  SessionListItem,
  SessionListQuery,
  SessionSummary,
  SessionView,
  UserNotification,
} from '@caunoi/shared';
import type { EntityManager } from 'typeorm';
import { AccessPolicy, SessionMembership } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import { Actor, hasRole } from '../auth/current-user';
import { conflict, notFound } from '../common/errors';
import { CollabNotifier } from '../collaboration/collab-notifier';
import { ConsultationsService } from '../consultations/consultations.service';
import { vietnamLabel } from '../scheduling/vietnam-time';
import { isDoubleBooking, SessionBookingsRepository } from './session-bookings.repository';
import { SessionRow, SessionsRepository } from './sessions.repository';

/**
 * Reading, moving and cancelling sessions (booking: BookingService). Double booking is refused by
 * PostgreSQL (exclusion constraints); this service turns that refusal into a 409 naming the
 * bookings in the way.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(SessionsRepository) private readonly repo: SessionsRepository,
    @Inject(SessionBookingsRepository) private readonly bookings: SessionBookingsRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(ConsultationsService) private readonly consultations: ConsultationsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CollabNotifier) private readonly notifier: CollabNotifier,
  ) {}

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
        await this.bookings.releaseBookings(m, id);
        await this.bookings.book(m, id, input.startsAt, input.endsAt, participantIds, facilityIds);
        await this.repo.move(m, id, input.startsAt, input.endsAt);
        await this.bookings.recordChange(
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
      // Scheduled means nobody has been admitted inside its time (a join token or a test join
      // before the start does not count); once someone has, it is ended, not cancelled.
      if (locked!.status === 'ended')
        throw conflict('This session has ended', undefined, 'session_ended');
      if (locked!.status !== 'scheduled')
        throw conflict(
          `Someone has been admitted to this session, so it cannot be cancelled; end it instead (it is ${locked!.status})`,
        );
      await this.bookings.releaseBookings(m, id);
      await this.repo.markCancelled(m, id, reason);
      await this.bookings.recordChange(
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

  /** First admission in its time: the session and its requests are in progress (idempotent). */
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

  /** The 409 for a refused booking, naming the bookings in the way. */
  async doubleBooked(
    userIds: string[],
    facilityIds: string[],
    startsAt: string,
    endsAt: string,
    exceptSessionId?: string,
  ) {
    const conflicts = await this.bookings.conflicts(
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

  notify(
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
    endedAt: s.endedAt?.toISOString() ?? null,
    endReason: s.endReason,
    kind: s.kind,
    presenterId: s.presenterId,
    openToNetwork: s.openToNetwork,
  };
}
