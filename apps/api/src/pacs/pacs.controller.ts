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
import {
  DicomUidSchema,
  PacsConfigSchema,
  PacsImportSchema,
  PacsSeriesSchema,
  PacsStudyQuerySchema,
  PacsStudySchema,
  PacsTestResultSchema,
  PutPacsConfigSchema,
  StartPacsImportSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { invalidInput } from '../common/errors';
import { Answers, AnswersList, AnswersNothing } from '../common/openapi';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { PacsConfigService } from './pacs-config.service';
import { PacsImportService } from './pacs-import.service';
import { PacsSearchService } from './pacs-search.service';

class PutPacsConfigDto extends createZodDto(PutPacsConfigSchema) {}
class PacsStudyQueryDto extends createZodDto(PacsStudyQuerySchema) {}
class StartPacsImportDto extends createZodDto(StartPacsImportSchema) {}

const studyUidOf = (raw: string) => {
  const parsed = DicomUidSchema.safeParse(raw);
  if (!parsed.success) throw invalidInput({ path: 'studyUid', message: 'must be a DICOM UID' });
  return parsed.data;
};

/**
 * A facility's PACS over DICOMweb: its settings (administrators), searches (the facility's
 * requesters) and imports of studies into requests. PACS faults answer 424 with a `pacs_*`
 * code (see docs/api.md), never 500.
 */
@ApiTags('pacs')
@ApiBearerAuth()
@Controller()
export class PacsController {
  constructor(
    @Inject(PacsConfigService) private readonly configs: PacsConfigService,
    @Inject(PacsSearchService) private readonly search: PacsSearchService,
    @Inject(PacsImportService) private readonly imports: PacsImportService,
  ) {}

  @Answers(PacsConfigSchema)
  @Get('facilities/:id/pacs')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.configs.get(actor, id);
  }

  @Roles('admin')
  @Answers(PacsConfigSchema)
  @Put('facilities/:id/pacs')
  put(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: PutPacsConfigDto,
  ) {
    return this.configs.put(actor, id, body);
  }

  @Roles('admin')
  @AnswersNothing('The PACS settings are removed')
  @Delete('facilities/:id/pacs')
  @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    await this.configs.remove(actor, id);
  }

  /** Whether the PACS answers a search with the stored settings (200 either way; `ok` says). */
  @Roles('admin')
  @Answers(PacsTestResultSchema)
  @Post('facilities/:id/pacs/test')
  @HttpCode(200)
  test(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.configs.test(actor, id);
  }

  @AnswersList(PacsStudySchema)
  @Get('facilities/:id/pacs/studies')
  studies(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Query() q: PacsStudyQueryDto,
  ) {
    return this.search.studies(actor, id, q);
  }

  @AnswersList(PacsSeriesSchema)
  @Get('facilities/:id/pacs/studies/:studyUid/series')
  series(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Param('studyUid') studyUid: string,
  ) {
    return this.search.series(actor, id, studyUidOf(studyUid));
  }

  /** 202: the instances are listed and the limits checked; fetching goes on in the background. */
  @Answers(PacsImportSchema)
  @Post('consultations/:id/pacs-imports')
  @HttpCode(202)
  start(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: StartPacsImportDto,
  ) {
    return this.imports.start(actor, id, body);
  }

  @AnswersList(PacsImportSchema)
  @Get('consultations/:id/pacs-imports')
  list(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.imports.list(actor, id);
  }

  @Answers(PacsImportSchema)
  @Get('consultations/:id/pacs-imports/:importId')
  one(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Param('importId', ParseIdPipe) importId: string,
  ) {
    return this.imports.get(actor, id, importId);
  }
}
