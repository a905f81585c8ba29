import { Inject, Injectable } from '@nestjs/common';
import type { BookedSession, CreateSession } from '@caunoi/shared';
import { AccessPolicy, ConsultationRelation } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { conflict, invalidInput } from '../common/errors';
import { ConsultationsService } from '../consultations/consultations.service';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { ConsentGate } from '../patients/consent-gate';
import { partyIssues, partySummary } from '../scheduling/party-issues';
import { SchedulingService } from '../scheduling/scheduling.service';
import { UsersRepository } from '../users/users.repository';
import { isDoubleBooking, SessionBookingsRepository } from './session-bookings.repository';
import { SessionsService } from './sessions.service';

/**
 * Booking a session (`POST /sessions`): the target coordinator books accepted requests whose
 * patients still consent, inviting only people the cases may be opened to; each invitation is an
 * access grant and is audited as one. Double booking is refused by PostgreSQL.
 */
@Injectable()
export class BookingService {
  constructor(
    @Inject(SessionBookingsRepository) private readonly bookings: SessionBookingsRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(ConsultationsService) private readonly consultations: ConsultationsService,
    @Inject(SchedulingService) private readonly scheduling: SchedulingService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
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
        const clash = await this.bookings.conflicts(
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
      id = await this.bookings.transaction(async (m) => {
        const sid = await this.bookings.insert(m, {
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
        throw await this.sessions.doubleBooked(
          participantIds,
          facilityIds,
          input.startsAt,
          input.endsAt,
        );
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
    const view = await this.sessions.view(id);
    this.sessions.notify(participantIds, 'session.invited', view);
    return { ...view, warnings };
  }

  /** The participants every covered case may invite (see AccessPolicy.invitable). */
  private async invitableForAll(cases: ConsultationRelation[], ids: string[]): Promise<string[]> {
    let allowed = ids;
    for (const c of cases)
      allowed = await this.access.invitable(allowed, c.requestingFacilityId, c.targetFacilityId);
    return allowed;
  }
}
