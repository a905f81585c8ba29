import { Controller, Get, Header, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { PatientRecordService } from './patient-record.service';
import { Answers } from '../common/openapi';
import { FhirBundleSchema } from '@caunoi/shared';

@ApiTags('fhir')
@ApiBearerAuth()
@Controller('patients/:id')
export class PatientRecordController {
  constructor(@Inject(PatientRecordService) private readonly records: PatientRecordService) {}

  /** Everything held about the patient as a FHIR R4 collection Bundle (right of access). */
  @Roles('requester')
  @Answers(FhirBundleSchema)
  @ApiProduces('application/fhir+json')
  @Get('export')
  @Header('Content-Type', 'application/fhir+json; charset=utf-8')
  export(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    return this.records.export(actor, id, `${req.protocol}://${req.get('host')}`);
  }
}
