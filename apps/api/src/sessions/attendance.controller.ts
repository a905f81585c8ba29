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
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ApiException } from '../common/errors';
import { AttendanceService } from './attendance.service';

class AttendanceEventDto extends createZodDto(AttendanceEventSchema) {}

/** The SFU reports who joined and left the media room (service token, not a user's). */
@ApiExcludeController()
@Controller('internal')
export class AttendanceController {
  constructor(
    @Inject(AttendanceService) private readonly attendance: AttendanceService,
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
    await this.attendance.report(e);
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
