import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  MachineFindingReviewSchema,
  MachineReaderSchema,
  MachineReaderSettingsSchema,
  MachineReadingSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { Answers, AnswersList, AnswersNothing } from '../common/openapi';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { MachineReadersService } from './machine-readers.service';
import { MachineReadingsService } from './machine-readings.service';

class MachineReaderSettingsDto extends createZodDto(MachineReaderSettingsSchema) {}
class MachineFindingReviewDto extends createZodDto(MachineFindingReviewSchema) {}

@ApiTags('machine-readings')
@ApiBearerAuth()
@Controller()
export class MachineReadingsController {
  constructor(
    @Inject(MachineReadersService) private readonly readers: MachineReadersService,
    @Inject(MachineReadingsService) private readonly readings: MachineReadingsService,
  ) {}

  @Roles('admin')
  @Answers(MachineReaderSchema)
  @Get('facilities/:id/machine-reader')
  reader(@Param('id', ParseIdPipe) id: string) {
    return this.readers.get(id);
  }

  /** Registers (or changes) the facility's external reader; the token is never answered back. */
  @Roles('admin')
  @Answers(MachineReaderSchema)
  @Put('facilities/:id/machine-reader')
  saveReader(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: MachineReaderSettingsDto,
  ) {
    return this.readers.save(actor, id, body);
  }

  @Roles('admin')
  @AnswersNothing('The reader is removed; readings already made are kept')
  @Delete('facilities/:id/machine-reader')
  @HttpCode(204)
  async removeReader(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    await this.readers.remove(actor, id);
  }

  /** Machine suggestions for an image, for the clinicians who may see the case. */
  @AnswersList(MachineReadingSchema)
  @Get('attachments/:id/machine-readings')
  list(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.readings.list(actor, id);
  }

  /** A clinician confirms or rejects a suggested finding; answers the image's readings. */
  @Roles('requester', 'specialist')
  @AnswersList(MachineReadingSchema)
  @Put('machine-findings/:id/review')
  review(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: MachineFindingReviewDto,
  ) {
    return this.readings.review(actor, id, body.decision);
  }
}
