import { Inject, Injectable } from '@nestjs/common';
import type { BookedSession, CreateTrainingSession } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import { Actor, hasRole } from '../auth/current-user';
import { invalidInput, notFound, type FieldIssue } from '../common/errors';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { CLOCK, Clock } from '../scheduling/clock';
import { UsersRepository } from '../users/users.repository';
import { attendanceCsv } from './attendance-csv';
import { isDoubleBooking, SessionBookingsRepository } from './session-bookings.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { TrainingRepository } from './training.repository';

/**
 * Tele-education sessions: a coordinator's facility teaches invited sites (or the whole network).
 * No consultation and no patient is linked, so nothing clinical is opened to the invited; only the
 * presenter is booked (attending a lecture must not block a site's consultations). The attendance
 * report is for training credit and is given to the organising coordinators and to admins.
 */
@Injectable()
export class TrainingService {
  constructor(
    @Inject(TrainingRepository) private readonly repo: TrainingRepository,
    @Inject(SessionsRepository) private readonly sessionsRepo: SessionsRepository,
    @Inject(SessionBookingsRepository) private readonly bookings: SessionBookingsRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: CreateTrainingSession): Promise<BookedSession> {
    const facilityIds = input.openToNetwork ? [] : [...new Set(input.facilityIds)];
    const issues: FieldIssue[] = [];
    const [presenter] = await this.users.findManyByIds([input.presenterId]);
    if (!presenter || !presenter.active || hasRole(presenter, 'admin'))
      issues.push({
        path: 'presenterId',
        message: 'No active clinician or coordinator with that id',
      });
    const found = new Set((await this.facilities.findManyByIds(facilityIds)).map((f) => f.id));
    facilityIds.forEach((id, i) => {
      if (!found.has(id)) issues.push({ path: `facilityIds.${i}`, message: 'No such facility' });
    });
    if (issues.length) throw invalidInput(issues);
    let id: string;
    try {
      id = await this.sessionsRepo.transaction(async (m) => {
        const sid = await this.repo.insert(m, {
          title: input.title,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          organiserFacilityId: actor.user.facilityId,
          createdBy: actor.user.id,
          presenterId: input.presenterId,
          facilityIds,
          openToNetwork: input.openToNetwork,
        });
        await this.bookings.book(m, sid, input.startsAt, input.endsAt, [input.presenterId], []);
        await this.bookings.recordChange(
          m,
          sid,
          'booked',
          input.startsAt,
          input.endsAt,
          actor.user.id,
          null,
        );
        return sid;
      });
    } catch (err) {
      if (isDoubleBooking(err))
        throw await this.sessions.doubleBooked(
          [input.presenterId],
          [],
          input.startsAt,
          input.endsAt,
        );
      throw err;
    }
    await this.audit.record(actor, 'session.create', {
      type: 'session',
      id,
      details: {
        kind: 'training',
        presenterId: input.presenterId,
        facilities: facilityIds.length,
        openToNetwork: input.openToNetwork,
      },
    });
    const view = await this.sessions.view(id);
    this.sessions.notify(view.participantIds, 'session.invited', view);
    return { ...view, warnings: [] };
  }

  /** `GET /sessions/:id/attendance.csv`: organising coordinators and admins; 404 for others. */
  async attendanceReport(actor: Actor, sessionId: string): Promise<string> {
    if (!hasRole(actor.user, 'admin')) {
      const s = await this.access.session(actor, sessionId);
      await this.access.require(
        actor,
        s.organiser,
        'Only a coordinator of the organising facility or an admin may export attendance',
        { type: 'session', id: sessionId },
      );
    } else if (!(await this.sessionsRepo.findById(sessionId))) throw notFound('Session');
    const stays = await this.repo.stays(sessionId);
    await this.audit.record(actor, 'session.attendance.export', {
      type: 'session',
      id: sessionId,
      details: { people: new Set(stays.map((s) => s.userId)).size },
    });
    return attendanceCsv(stays, this.clock.now());
  }
}
