import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../common/parse-id.pipe';
import type { Request, Response } from 'express';
import { Actor, CurrentActor } from '../auth/current-user';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AttachmentsService } from './attachments.service';
import { receiveMultipartFile } from './multipart-file';
import { sendStoredFile } from './send-stored-file';
import { Answers, AnswersFile, AnswersList } from '../common/openapi';
import { AttachmentSchema, SeriesSchema } from '@caunoi/shared';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(
    @Inject(AttachmentsService) private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Answers(AttachmentSchema)
  @Post('consultations/:id/attachments')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Req() req: Request,
  ) {
    const file = await receiveMultipartFile(req, this.config.MAX_ATTACHMENT_BYTES);
    try {
      return await this.attachments.upload(actor, id, file);
    } finally {
      file.stream.destroy(); // refused before reading it: stop and drain the body
    }
  }

  @AnswersList(AttachmentSchema)
  @Get('consultations/:id/attachments')
  list(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.attachments.list(actor, id);
  }

  /** The CT/MR series among the attachments, each with its instance ids in viewing order. */
  @AnswersList(SeriesSchema)
  @Get('consultations/:id/series')
  series(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.attachments.series(actor, id);
  }

  /** Streams the bytes; `Range: bytes=a-b` answers 206 (viewers page through large DICOM/PDF files). */
  @AnswersFile('application/octet-stream', 'The file in its own media type (206 for a Range)')
  @Get('attachments/:id/content')
  async content(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { attachment, file } = await this.attachments.openForDownload(
      actor,
      id,
      req.headers.range,
    );
    await sendStoredFile(req, res, file, {
      mediaType: attachment.mediaType,
      fileName: attachment.fileName,
    });
  }
}
