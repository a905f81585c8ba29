import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  ReportQuerySchema,
  SessionsPerFacilityRowSchema,
  TimeToSessionRowSchema,
} from '@caunoi/shared';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { ReportsService } from './reports.service';
import { AnswersList } from '../common/openapi';

class ReportQueryDto extends createZodDto(ReportQuerySchema) {}

@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'coordinator')
@Controller('reports')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  @AnswersList(SessionsPerFacilityRowSchema)
  @Get('sessions-per-facility')
  sessionsPerFacility(@CurrentUser() user: AuthUser, @Query() q: ReportQueryDto) {
    return this.reports.sessionsPerFacility(user, q);
  }

  @AnswersList(TimeToSessionRowSchema)
  @Get('time-to-session')
  timeToSession(@CurrentUser() user: AuthUser, @Query() q: ReportQueryDto) {
    return this.reports.timeToSession(user, q);
  }
}
