import { pipeline } from 'node:stream/promises';
import { Controller, Get, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ApiException } from '../common/errors';
import { ParseIdPipe } from '../common/parse-id.pipe';
import type { Request, Response } from 'express';
import { Actor, CurrentActor } from '../auth/current-user';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AttachmentsService } from './attachments.service';
import { receiveMultipartFile } from './multipart-file';
import { Answers, AnswersFile, AnswersList } from '../common/openapi';
import { AttachmentSchema } from '@caunoi/shared';

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
    const range = byteRange(req.headers.range, file.size);
    if (range === 'unsatisfiable') {
      // Before any header of the file: the error is answered as JSON like every other error.
      res.setHeader('Content-Range', `bytes */${file.size}`);
      throw new ApiException(
        HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
        `The requested range is outside the file (${file.size} bytes)`,
      );
    }
    res.setHeader('Content-Type', attachment.mediaType);
    res.setHeader(
      'Content-Disposition',
      `inline; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
    );
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Accept-Ranges', 'bytes');
    const [start, end] = range ?? [0, file.size - 1];
    if (range) res.status(206).setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
    res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
    if (file.size === 0) {
      res.end();
      return;
    }
    await pipeline(file.read(start, end), res);
  }
}

/** One `bytes=a-b` / `a-` / `-n` range (what PDF and DICOM viewers send); others: whole file. */
function byteRange(
  header: string | undefined,
  size: number,
): [number, number] | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}
