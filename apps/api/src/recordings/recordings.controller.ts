import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { RecordingChatItemSchema, RecordingDownloadSchema, RecordingSchema } from '@caunoi/shared';
import { sendStoredFile } from '../attachments/send-stored-file';
import { Actor, CurrentActor } from '../auth/current-user';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { RecordingPlaybackService } from './recording-playback.service';
import { RecordingsService } from './recordings.service';
import { Answers, AnswersFile, AnswersList } from '../common/openapi';

class RecordingDownloadDto extends createZodDto(RecordingDownloadSchema) {}

@ApiTags('recordings')
@ApiBearerAuth()
@Controller()
export class RecordingsController {
  constructor(
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
    @Inject(RecordingPlaybackService) private readonly playback: RecordingPlaybackService,
  ) {}

  /** The chair or an organiser; 409 `consent_missing`/`consent_withdrawn` naming `patients`. */
  @Answers(RecordingSchema)
  @Post('sessions/:id/recording/start')
  @HttpCode(201)
  start(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.recordings.start(actor, id);
  }

  @Answers(RecordingSchema)
  @Post('sessions/:id/recording/stop')
  @HttpCode(200)
  stop(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.recordings.stop(actor, id);
  }

  @AnswersList(RecordingSchema)
  @Get('sessions/:id/recordings')
  list(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.playback.listForSession(actor, id);
  }

  @Answers(RecordingSchema)
  @Get('recordings/:id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.playback.get(actor, id);
  }

  @AnswersList(RecordingChatItemSchema)
  @Get('recordings/:id/chat')
  chat(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.playback.chat(actor, id);
  }

  /** One track's file (WebM), with Range so the player can seek. */
  @AnswersFile('video/webm', 'The track (Range → 206)')
  @Get('recordings/:id/tracks/:n')
  async track(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Param('n', ParseIntPipe) n: number,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const t = await this.playback.openTrack(actor, id, n, req.headers.range);
    await sendStoredFile(req, res, t.file, { mediaType: t.mediaType, fileName: t.fileName });
  }

  /** The raw session file (Matroska, every track): admins, with a reason that is audited. */
  @AnswersFile('video/x-matroska', 'The raw session file')
  @Post('recordings/:id/download')
  @HttpCode(200)
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: RecordingDownloadDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const d = await this.playback.download(actor, id, body.reason);
    await sendStoredFile(req, res, d.file, {
      mediaType: 'video/x-matroska',
      fileName: d.fileName,
      disposition: 'attachment',
    });
  }
}
