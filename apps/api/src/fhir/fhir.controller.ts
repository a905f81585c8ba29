import { Controller, Get, Header, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, CurrentActor } from '../auth/current-user';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { FhirService } from './fhir.service';
import { Answers } from '../common/openapi';
import { FhirBundleSchema } from '@caunoi/shared';

@ApiTags('fhir')
@ApiBearerAuth()
@Controller('consultations/:id')
export class FhirController {
  constructor(@Inject(FhirService) private readonly fhir: FhirService) {}

  /** The latest signed minutes as a FHIR R4 document Bundle (Composition first). */
  @Answers(FhirBundleSchema)
  @ApiProduces('application/fhir+json')
  @Get('fhir')
  @Header('Content-Type', 'application/fhir+json; charset=utf-8')
  bundle(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    return this.fhir.minutesBundle(actor, id, `${req.protocol}://${req.get('host')}`);
  }
}
