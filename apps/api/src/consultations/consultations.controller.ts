import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { createZodDto } from 'nestjs-zod';
import {
  ConsultationDetailSchema,
  ConsultationListQuerySchema,
  ConsultationViewSchema,
  CreateConsultationSchema,
  ReasonSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { ConsultationsService } from './consultations.service';
import { Idempotent } from '../common/idempotency.interceptor';
import { Answers, AnswersList } from '../common/openapi';

class CreateConsultationDto extends createZodDto(CreateConsultationSchema) {}
class ConsultationListQueryDto extends createZodDto(ConsultationListQuerySchema) {}
class ReasonDto extends createZodDto(ReasonSchema) {}

@ApiTags('consultations')
@ApiBearerAuth()
@Controller('consultations')
export class ConsultationsController {
  constructor(@Inject(ConsultationsService) private readonly consultations: ConsultationsService) {}

  @Roles('requester')
  @Answers(ConsultationViewSchema)
  @Post()
  @Idempotent()
  create(@CurrentActor() actor: Actor, @Body() body: CreateConsultationDto) {
    return this.consultations.create(actor, body);
  }

  /** The caller's queue: `role=target&status=submitted` is a coordinator's triage list. */
  @AnswersList(ConsultationViewSchema)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: ConsultationListQueryDto) {
    return this.consultations.list(actor, q);
  }

  @Answers(ConsultationDetailSchema)
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.consultations.get(actor, id);
  }

  @Answers(ConsultationDetailSchema)
  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.consultations.act(actor, id, 'submit');
  }

  @Answers(ConsultationDetailSchema)
  @Post(':id/accept')
  @HttpCode(200)
  accept(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.consultations.act(actor, id, 'accept');
  }

  @Answers(ConsultationDetailSchema)
  @Post(':id/decline')
  @HttpCode(200)
  decline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: ReasonDto,
  ) {
    return this.consultations.act(actor, id, 'decline', body.reason);
  }

  @Answers(ConsultationDetailSchema)
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: ReasonDto,
  ) {
    return this.consultations.act(actor, id, 'cancel', body.reason);
  }
}
