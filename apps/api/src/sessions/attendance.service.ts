import { Inject, Injectable } from '@nestjs/common';
import type { AttendanceEvent } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import type { Actor, AuthUser } from '../auth/current-user';
import { invalidInput } from '../common/errors';
import { SessionLifecycleService } from './session-lifecycle.service';
import { AttendanceRepository } from './attendance.repository';
import { SessionsService } from './sessions.service';

/**
 * Who was in the media room, as the SFU reports it. Attendance is what the minutes list as
 * "present"; the first join inside its time starts the session, and each join and leave is audited once (the SFU
 * may repeat a report after a reconnect).
 */
@Injectable()
export class AttendanceService {
  constructor(
    @Inject(AttendanceRepository) private readonly attendance: AttendanceRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(SessionLifecycleService) private readonly lifecycle: SessionLifecycleService,
  ) {}

  async report(e: AttendanceEvent): Promise<void> {
    // A report about someone who was never invited is a bug or a forgery: refuse, do not record.
    if (!(await this.access.invited(e.sessionId, e.userId)))
      throw invalidInput({ path: 'userId', message: 'Not a participant of that session' });
    const actor: Actor = { user: { id: e.userId } as AuthUser, address: null };
    const details = { peerId: e.peerId, via: 'sfu' };
    if (e.event === 'joined') {
      if (!(await this.attendance.joined(e.sessionId, e.userId, e.peerId, e.at))) return;
      await this.lifecycle.admitted(e.sessionId, e.userId, new Date(e.at));
      await this.sessions.auditPerPatient(actor, 'session.join', e.sessionId, details);
    } else if (await this.attendance.left(e.sessionId, e.userId, e.peerId, e.at)) {
      await this.sessions.auditPerPatient(actor, 'session.leave', e.sessionId, details);
    }
  }
}
