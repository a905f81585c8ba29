import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import { createZodDto } from 'nestjs-zod';
import { AttendanceEventSchema } from '@caunoi/shared';
import { Public } from '../auth/public.decorator';
import { AuthUser } from '../auth/current-user';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ApiException, invalidInput } from '../common/errors';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

class AttendanceEventDto extends createZodDto(AttendanceEventSchema) {}

/**
 * The SFU reports who joined and left the media room (service token, not a user's). Attendance is
 * what the minutes list as "present"; each join and leave is audited.
 */
@ApiExcludeController()
@Controller('internal')
export class AttendanceController {
  constructor(
    @Inject(SessionsRepository) private readonly repo: SessionsRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('attendance')
  @HttpCode(204)
  async report(
    @Headers('authorization') authorization: string | undefined,
    @Body() e: AttendanceEventDto,
  ): Promise<void> {
    this.authenticate(authorization);
    // A report about someone who was never invited is a bug or a forgery: refuse, do not record.
    if (!(await this.repo.isParticipant(e.sessionId, e.userId)))
      throw invalidInput({ path: 'userId', message: 'Not a participant of that session' });
    const actor = { user: { id: e.userId } as AuthUser, address: null };
    if (e.event === 'joined') {
      if (await this.repo.attendanceJoined(e.sessionId, e.userId, e.peerId, e.at)) {
        await this.sessions.markStarted(e.sessionId, e.userId);
        await this.sessions.auditPerPatient(actor, 'session.join', e.sessionId, {
          peerId: e.peerId,
          via: 'sfu',
        });
      }
    } else if (await this.repo.attendanceLeft(e.sessionId, e.userId, e.peerId, e.at)) {
      await this.sessions.auditPerPatient(actor, 'session.leave', e.sessionId, {
        peerId: e.peerId,
        via: 'sfu',
      });
    }
  }

  private authenticate(header: string | undefined): void {
    const expected = this.config.SFU_SERVICE_TOKEN;
    if (!expected)
      throw new ApiException(
        503,
        'Attendance reporting is not configured (SFU_SERVICE_TOKEN is unset)',
      );
    const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
    const want = Buffer.from(expected);
    if (given.length !== want.length || !timingSafeEqual(given, want))
      throw new UnauthorizedException('Invalid service token');
  }
}
