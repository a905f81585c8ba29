import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  AttachInboxStudySchema,
  DicomInboxSettingsSchema,
  DicomInboxStudySchema,
  InboxAttachResultSchema,
  PutDicomInboxSchema,
  text,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { Answers, AnswersList, AnswersNothing } from '../common/openapi';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { DicomInboxService } from './dicom-inbox.service';

class PutDicomInboxDto extends createZodDto(PutDicomInboxSchema) {}
class AttachInboxStudyDto extends createZodDto(AttachInboxStudySchema) {}
class InboxQueryDto extends createZodDto(
  z.object({ patientId: text().trim().min(1).max(64).optional() }),
) {}

/** The facility's DICOM inbox (studies pushed by C-STORE) and attaching from it. */
@ApiTags('pacs')
@ApiBearerAuth()
@Controller()
export class DicomInboxController {
  constructor(@Inject(DicomInboxService) private readonly inbox: DicomInboxService) {}

  @Answers(DicomInboxSettingsSchema)
  @Get('facilities/:id/dicom-inbox')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.inbox.settings(actor, id);
  }

  @Roles('admin')
  @Answers(DicomInboxSettingsSchema)
  @Put('facilities/:id/dicom-inbox')
  put(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: PutDicomInboxDto,
  ) {
    return this.inbox.put(actor, id, body);
  }

  @Roles('admin')
  @AnswersNothing('The DICOM inbox is closed (what it received stays listed)')
  @Delete('facilities/:id/dicom-inbox')
  @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    await this.inbox.remove(actor, id);
  }

  @AnswersList(DicomInboxStudySchema)
  @Get('facilities/:id/dicom-inbox/studies')
  studies(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Query() q: InboxQueryDto,
  ) {
    return this.inbox.studies(actor, id, q.patientId ?? null);
  }

  @Answers(InboxAttachResultSchema)
  @Post('consultations/:id/dicom-inbox-imports')
  @HttpCode(200)
  attach(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: AttachInboxStudyDto,
  ) {
    return this.inbox.attach(actor, id, body.studyUid);
  }
}
