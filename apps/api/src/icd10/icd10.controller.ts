import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  DiagnosisReportRowSchema,
  Icd10EntrySchema,
  Icd10ImportResultSchema,
  Icd10SearchQuerySchema,
  ReportQuerySchema,
} from '@caunoi/shared';
import { Actor, AuthUser, CurrentActor, CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { Icd10Service } from './icd10.service';
import { Answers, AnswersList } from '../common/openapi';

class Icd10SearchQueryDto extends createZodDto(Icd10SearchQuerySchema) {}
class ReportQueryDto extends createZodDto(ReportQuerySchema) {}

@ApiTags('icd10')
@ApiBearerAuth()
@Controller()
export class Icd10Controller {
  constructor(@Inject(Icd10Service) private readonly icd10: Icd10Service) {}

  /** The catalogue, by code prefix or part of the name (for diagnosis pickers). */
  @AnswersList(Icd10EntrySchema)
  @Get('icd10')
  search(@Query() q: Icd10SearchQueryDto) {
    return this.icd10.search(q);
  }

  /** Imports (or updates) the catalogue from CSV: code, Vietnamese name, English name. */
  @Roles('admin')
  @Answers(Icd10ImportResultSchema)
  @Post('icd10/import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  import(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.icd10.import(actor, body);
  }

  /** Consultations concluded per ICD-10 chapter and month (Vietnam time). */
  @Roles('admin', 'coordinator')
  @AnswersList(DiagnosisReportRowSchema)
  @Get('reports/diagnoses')
  report(@CurrentUser() user: AuthUser, @Query() q: ReportQueryDto) {
    return this.icd10.report(user, q);
  }
}
