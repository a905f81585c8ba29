import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  BookedSessionSchema,
  CreateSessionSchema,
  JoinResponseSchema,
  ReasonSchema,
  RescheduleSessionSchema,
  SessionListItemSchema,
  SessionListQuerySchema,
  SessionViewSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { AdmissionService } from './admission.service';
import { BookingService } from './booking.service';
import { SessionLifecycleService } from './session-lifecycle.service';
import { SessionsService } from './sessions.service';
import { Idempotent } from '../common/idempotency.interceptor';
import { Answers, AnswersList } from '../common/openapi';

class CreateSessionDto extends createZodDto(CreateSessionSchema) {}
class RescheduleSessionDto extends createZodDto(RescheduleSessionSchema) {}
class SessionListQueryDto extends createZodDto(SessionListQuerySchema) {}
class ReasonDto extends createZodDto(ReasonSchema) {}

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class SessionsController {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(BookingService) private readonly booking: BookingService,
    @Inject(AdmissionService) private readonly admission: AdmissionService,
    @Inject(SessionLifecycleService) private readonly lifecycle: SessionLifecycleService,
  ) {}

  /** 201 with `warnings` when someone is booked outside their published availability; 409 on double booking. */
  @Roles('coordinator')
  @Answers(BookedSessionSchema)
  @Post()
  @Idempotent()
  book(@CurrentActor() actor: Actor, @Body() body: CreateSessionDto) {
    return this.booking.book(actor, body);
  }

  @AnswersList(SessionListItemSchema)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: SessionListQueryDto) {
    return this.sessions.list(actor, q);
  }

  @Answers(SessionViewSchema)
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.get(actor, id);
  }

  @Roles('coordinator')
  @Answers(SessionViewSchema)
  @Patch(':id')
  reschedule(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RescheduleSessionDto,
  ) {
    return this.sessions.reschedule(actor, id, body);
  }

  @Roles('coordinator')
  @Answers(SessionViewSchema)
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ) {
    return this.sessions.cancel(actor, id, body.reason);
  }

  /** The chair or an organising coordinator ends a session in progress; the SFU closes the room. */
  @Answers(SessionViewSchema)
  @Post(':id/end')
  @HttpCode(200)
  end(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.end(actor, id);
  }

  @Answers(JoinResponseSchema)
  @Post(':id/join')
  @HttpCode(200)
  join(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.admission.join(actor, id);
  }
}
