import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { createZodDto } from 'nestjs-zod';
import {
  ConsentSchema,
  CorrectPatientSchema,
  CreatePatientSchema,
  PatientDetailSchema,
  PatientRevisionSchema,
  PatientSchema,
  PatientSearchQuerySchema,
  RecordConsentSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { PatientsService } from './patients.service';
import { Idempotent } from '../common/idempotency.interceptor';
import { Answers, AnswersList } from '../common/openapi';

class CreatePatientDto extends createZodDto(CreatePatientSchema) {}
class PatientSearchQueryDto extends createZodDto(PatientSearchQuerySchema) {}
class RecordConsentDto extends createZodDto(RecordConsentSchema) {}
class CorrectPatientDto extends createZodDto(CorrectPatientSchema) {}

@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
export class PatientsController {
  constructor(@Inject(PatientsService) private readonly patients: PatientsService) {}

  @Roles('requester')
  @Answers(PatientDetailSchema)
  @Post()
  @Idempotent()
  register(@CurrentActor() actor: Actor, @Body() body: CreatePatientDto) {
    return this.patients.register(actor, body);
  }

  @Roles('requester', 'coordinator', 'specialist')
  @AnswersList(PatientSchema)
  @Get()
  search(@CurrentActor() actor: Actor, @Query() q: PatientSearchQueryDto) {
    return this.patients.search(actor, q);
  }

  @Answers(PatientDetailSchema)
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.patients.get(actor, id);
  }

  @Roles('requester')
  @Answers(ConsentSchema)
  @Post(':id/consents')
  @Idempotent()
  recordConsent(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: RecordConsentDto,
  ) {
    return this.patients.recordConsent(actor, id, body);
  }

  /** A correction of identity data; the replaced values are kept (see `history`). */
  @Roles('requester')
  @Answers(PatientDetailSchema)
  @Patch(':id')
  correct(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: CorrectPatientDto,
  ) {
    return this.patients.correct(actor, id, body);
  }

  @AnswersList(PatientRevisionSchema)
  @Get(':id/history')
  history(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.patients.history(actor, id);
  }
}
