import { Body, Controller, Get, Header, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { BookedSessionSchema, CreateTrainingSessionSchema } from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { Idempotent } from '../common/idempotency.interceptor';
import { TrainingService } from './training.service';
import { Answers, AnswersFile } from '../common/openapi';

class CreateTrainingSessionDto extends createZodDto(CreateTrainingSessionSchema) {}

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class TrainingController {
  constructor(@Inject(TrainingService) private readonly training: TrainingService) {}

  /** 201: a tele-education session (kind `training`) organised by the caller's facility. */
  @Roles('coordinator')
  @Answers(BookedSessionSchema)
  @Post('training')
  @Idempotent()
  create(@CurrentActor() actor: Actor, @Body() body: CreateTrainingSessionDto) {
    return this.training.create(actor, body);
  }

  /** Per-participant attendance (join/leave, minutes) as CSV, for training credit. */
  @AnswersFile('text/csv', 'Who attended, one row a person')
  @Get(':id/attendance.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('cache-control', 'no-store')
  async attendance(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.training.attendanceReport(actor, id);
  }
}
