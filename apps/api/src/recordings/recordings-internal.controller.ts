import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Put, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { RECORDING_FILE_NAME, RecordingResultSchema } from '@caunoi/shared';
import { Public } from '../auth/public.decorator';
import { invalidInput } from '../common/errors';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { requireServiceToken } from '../common/service-token';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { RecordingsService } from './recordings.service';

class RecordingResultDto extends createZodDto(RecordingResultSchema) {}

/** The SFU delivers a recording's files and its result (service token, not a user's). */
@ApiExcludeController()
@Controller('internal/recordings')
export class RecordingsInternalController {
  constructor(
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Raw bytes (`application/octet-stream`, streamed into the attachment store). */
  @Public()
  @Put(':id/files/:name')
  async file(
    @Headers('authorization') authorization: string | undefined,
    @Param('id', ParseIdPipe) id: string,
    @Param('name') name: string,
    @Req() req: Request,
  ) {
    requireServiceToken(authorization, this.config.SFU_SERVICE_TOKEN);
    if (!RECORDING_FILE_NAME.test(name))
      throw invalidInput({ path: 'name', message: 'session.mkv or track-<n>.webm|mkv' });
    return this.recordings.storeFile(id, req);
  }

  @Public()
  @Post(':id/result')
  @HttpCode(204)
  async result(
    @Headers('authorization') authorization: string | undefined,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: RecordingResultDto,
  ): Promise<void> {
    requireServiceToken(authorization, this.config.SFU_SERVICE_TOKEN);
    await this.recordings.result(id, body);
  }
}
