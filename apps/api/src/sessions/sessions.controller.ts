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
  CreateSessionSchema,
  ReasonSchema,
  RescheduleSessionSchema,
  SessionListQuerySchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { AdmissionService } from './admission.service';
import { BookingService } from './booking.service';
import { SessionLifecycleService } from './session-lifecycle.service';
import { SessionsService } from './sessions.service';
import { Idempotent } from '../common/idempotency.interceptor';

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
  @Post()
  @Idempotent()
  book(@CurrentActor() actor: Actor, @Body() body: CreateSessionDto) {
    return this.booking.book(actor, body);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() q: SessionListQueryDto) {
    return this.sessions.list(actor, q);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.get(actor, id);
  }

  @Roles('coordinator')
  @Patch(':id')
  reschedule(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RescheduleSessionDto,
  ) {
    return this.sessions.reschedule(actor, id, body);
  }

  @Roles('coordinator')
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
  @Post(':id/end')
  @HttpCode(200)
  end(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.lifecycle.end(actor, id);
  }

  @Post(':id/join')
  @HttpCode(200)
  join(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.admission.join(actor, id);
  }
}
