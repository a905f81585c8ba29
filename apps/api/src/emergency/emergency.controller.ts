import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  ClaimResultSchema,
  CreateOnCallShiftSchema,
  EmergencyCallSchema,
  OnCallQuerySchema,
  OnCallShiftSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { ClaimService } from './claim.service';
import { EmergencyCallsService } from './emergency-calls.service';
import { RosterService } from './roster.service';
import { Answers, AnswersList, AnswersNothing } from '../common/openapi';

class CreateOnCallShiftDto extends createZodDto(CreateOnCallShiftSchema) {}
class OnCallQueryDto extends createZodDto(OnCallQuerySchema) {}

/** The on-call roster of a facility, the calls ringing the caller, and claiming one. */
@ApiTags('emergency')
@ApiBearerAuth()
@Controller()
export class EmergencyController {
  constructor(
    @Inject(RosterService) private readonly roster: RosterService,
    @Inject(EmergencyCallsService) private readonly calls: EmergencyCallsService,
    @Inject(ClaimService) private readonly claims: ClaimService,
  ) {}

  @AnswersList(OnCallShiftSchema)
  @Get('facilities/:facilityId/on-call')
  list(
    @CurrentActor() actor: Actor,
    @Param('facilityId', ParseIdPipe) facilityId: string,
    @Query() q: OnCallQueryDto,
  ) {
    return this.roster.list(actor, facilityId, q);
  }

  @Answers(OnCallShiftSchema)
  @Post('facilities/:facilityId/on-call')
  create(
    @CurrentActor() actor: Actor,
    @Param('facilityId', ParseIdPipe) facilityId: string,
    @Body() body: CreateOnCallShiftDto,
  ) {
    return this.roster.create(actor, facilityId, body);
  }

  @AnswersNothing('The shift is removed')
  @Delete('facilities/:facilityId/on-call/:shiftId')
  @HttpCode(204)
  async remove(
    @CurrentActor() actor: Actor,
    @Param('facilityId', ParseIdPipe) facilityId: string,
    @Param('shiftId', ParseIdPipe) shiftId: string,
  ): Promise<void> {
    await this.roster.remove(actor, facilityId, shiftId);
  }

  @Roles('specialist')
  @AnswersList(EmergencyCallSchema)
  @Get('emergency-calls')
  ringing(@CurrentActor() actor: Actor) {
    return this.calls.ringing(actor);
  }

  /** First claimer wins: an immediate session with the requester; 409 names who was first. */
  @Answers(ClaimResultSchema)
  @Post('consultations/:id/claim')
  @HttpCode(200)
  claim(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.claims.claim(actor, id);
  }
}
