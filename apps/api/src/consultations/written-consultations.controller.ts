import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  AssignSpecialistsSchema,
  ConsultationDetailSchema,
  SwitchModeSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { WrittenConsultationsService } from './written-consultations.service';
import { Answers } from '../common/openapi';

class AssignSpecialistsDto extends createZodDto(AssignSpecialistsSchema) {}
class SwitchModeDto extends createZodDto(SwitchModeSchema) {}

@ApiTags('consultations')
@ApiBearerAuth()
@Controller('consultations/:id')
export class WrittenConsultationsController {
  constructor(
    @Inject(WrittenConsultationsService) private readonly written: WrittenConsultationsService,
  ) {}

  /** The target coordinator assigns specialists; a written request starts with the first. */
  @Answers(ConsultationDetailSchema)
  @Post('assign')
  @HttpCode(200)
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: AssignSpecialistsDto,
  ) {
    return this.written.assign(actor, id, body);
  }

  /** `live` or `written`, until the consultation starts. */
  @Answers(ConsultationDetailSchema)
  @Post('mode')
  @HttpCode(200)
  mode(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: SwitchModeDto,
  ) {
    return this.written.switchMode(actor, id, body.mode);
  }
}
