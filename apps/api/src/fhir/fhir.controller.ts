import { Controller, Get, Header, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../common/parse-id.pipe';
import type { Request } from 'express';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import { Actor, CurrentActor } from '../auth/current-user';
import { MinutesDocumentAssembler } from '../minutes/minutes-document';
import { minutesBundle } from './minutes-bundle';

@ApiTags('fhir')
@ApiBearerAuth()
@Controller('consultations/:id')
export class FhirController {
  constructor(
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(MinutesDocumentAssembler) private readonly documents: MinutesDocumentAssembler,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** The latest signed minutes as a FHIR R4 document Bundle. */
  @Get('fhir')
  @Header('Content-Type', 'application/fhir+json; charset=utf-8')
  async bundle(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string, @Req() req: Request) {
    const rel = await this.access.consultation(actor.user, id);
    const doc = await this.documents.signed(id);
    await this.audit.record(actor, 'minutes.export_fhir', {
      type: 'minutes',
      id: doc.minutes.id,
      patientId: rel.patientId,
      details: { version: doc.minutes.version },
    });
    return minutesBundle(doc, `${req.protocol}://${req.get('host')}`);
  }
}
