import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { SessionEndReason, SessionView } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import type { Actor } from '../auth/current-user';
import { AuditService } from '../audit/audit.service';
import { conflict } from '../common/errors';
import { everyInterval } from '../common/interval-job';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { CLOCK, Clock } from '../scheduling/clock';
import { ROOM_CLOSES_AFTER_MS } from './admission.service';
import { SessionLifecycleRepository } from './session-lifecycle.repository';
import { SessionBookingsRepository } from './session-bookings.repository';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { SfuCommands } from './sfu-commands';

const MINUTE = 60_000;

export interface SweepReport {
  started: string[];
  ended: string[];
  roomsClosed: string[];
}

/**
 * A session's life after booking. It starts when someone is admitted to the room inside its time
 * (reported by the SFU), ends when the chair or an organising coordinator ends it or by itself
 * after its end + grace with nobody left in the room, and at its end the SFU closes the room. The
 * requests it covers stay `in_progress` until their minutes are signed (the lifecycle leads from
 * `in_progress` only to `completed` or `cancelled`). A job repeats what may have been missed: a
 * start whose first joiner came early, an end nobody asked for, a room close the SFU did not
 * confirm. Every move is a guarded UPDATE, and the job runs on one API instance at a time.
 */
@Injectable()
export class SessionLifecycleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('SessionLifecycle');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(SessionLifecycleRepository) private readonly repo: SessionLifecycleRepository,
    @Inject(SessionsRepository) private readonly sessionsRepo: SessionsRepository,
    @Inject(SessionBookingsRepository) private readonly bookings: SessionBookingsRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(SfuCommands) private readonly sfu: SfuCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = everyInterval(
      this.config.SESSION_SWEEP_SECONDS * 1000,
      () => this.sweep(this.clock.now()),
      this.log,
      'Session sweep',
    );
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The SFU admitted someone at `at`: inside the session's time, that starts it (once). */
  async admitted(sessionId: string, userId: string, at: Date): Promise<void> {
    const s = await this.sessionsRepo.findById(sessionId);
    if (!s || s.status !== 'scheduled') return;
    const t = at.getTime();
    if (t < s.startsAt.getTime() || t > s.endsAt.getTime() + ROOM_CLOSES_AFTER_MS) return;
    await this.sessions.markStarted(sessionId, userId);
  }

  /** `POST /sessions/:id/end`: by the chair (of a covered request's minutes) or an organiser. */
  async end(actor: Actor, id: string): Promise<SessionView> {
    const s = await this.access.session(actor, id);
    const chair = await this.repo.isChair(id, actor.user.id);
    await this.access.require(
      actor,
      s.organiser || chair,
      'Only the chair or a coordinator of the organising facility may end this session',
      { type: 'session', id },
    );
    const reason: SessionEndReason = s.organiser ? 'ended_by_coordinator' : 'ended_by_chair';
    if (!(await this.finish(id, this.clock.now(), actor.user.id, reason))) {
      const status = await this.repo.status(id);
      if (status === 'ended')
        throw conflict('This session has already ended', undefined, 'session_ended');
      if (status === 'cancelled')
        throw conflict('This session was cancelled', undefined, 'session_cancelled');
      throw conflict('This session has not started (nobody has been admitted); cancel it instead', {
        status,
      });
    }
    await this.sessions.auditPerPatient(actor, 'session.end', id, { reason });
    await this.closeRoom(id, reason);
    return this.announce(id);
  }

  /** One round of the job as of `now`; null when another API instance is doing it. */
  async sweep(now: Date): Promise<SweepReport | null> {
    return this.repo.exclusively(async () => {
      const report: SweepReport = { started: [], ended: [], roomsClosed: [] };
      for (const id of await this.repo.dueToStart(now, ROOM_CLOSES_AFTER_MS)) {
        await this.sessions.markStarted(id, null);
        report.started.push(id);
      }
      const graceMs = this.config.SESSION_END_GRACE_MINUTES * MINUTE;
      const overrunMs = Math.max(graceMs, this.config.SESSION_MAX_OVERRUN_MINUTES * MINUTE);
      for (const id of await this.repo.dueToEnd(now, graceMs, overrunMs)) {
        if (!(await this.finish(id, now, null, 'ended_after_schedule'))) continue;
        await this.audit.record(null, 'session.end', {
          type: 'session',
          id,
          details: { reason: 'ended_after_schedule' },
        });
        await this.announce(id);
        report.ended.push(id);
      }
      for (const room of await this.repo.roomsToClose(now)) {
        if (await this.closeRoom(room.id, room.reason)) report.roomsClosed.push(room.id);
      }
      if (report.started.length || report.ended.length)
        this.log.log(`sessions started ${report.started.length}, ended ${report.ended.length}`);
      return report;
    });
  }

  /** in_progress → ended with its history row and attendance closed; false if not this caller's move. */
  private async finish(
    id: string,
    at: Date,
    by: string | null,
    reason: SessionEndReason,
  ): Promise<boolean> {
    return this.sessionsRepo.transaction(async (m) => {
      const ended = await this.repo.markEnded(m, id, at, by, reason);
      if (!ended) return false;
      await this.repo.closeAttendance(m, id, at);
      await this.bookings.recordChange(m, id, 'ended', ended.startsAt, ended.endsAt, by, reason);
      return true;
    });
  }

  private async closeRoom(id: string, reason: string): Promise<boolean> {
    if (!(await this.sfu.endSession(id, reason))) return false;
    await this.repo.markRoomClosed(id);
    return true;
  }

  private async announce(id: string): Promise<SessionView> {
    const view = await this.sessions.view(id);
    this.sessions.notify(view.participantIds, 'session.updated', view);
    return view;
  }
}
