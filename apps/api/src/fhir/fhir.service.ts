import { Inject, Injectable } from '@nestjs/common';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { MinutesDocumentAssembler } from '../minutes/minutes-document';
import { minutesBundle } from './minutes-bundle';

@Injectable()
export class FhirService {
  constructor(
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(MinutesDocumentAssembler) private readonly documents: MinutesDocumentAssembler,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** The latest signed minutes of a consultation as a FHIR R4 document Bundle. */
  async minutesBundle(actor: Actor, consultationId: string, baseUrl: string) {
    const rel = await this.access.consultation(actor, consultationId);
    const doc = await this.documents.signed(consultationId);
    await this.audit.record(actor, 'minutes.export_fhir', {
      type: 'minutes',
      id: doc.minutes.id,
      patientId: rel.patientId,
      details: { version: doc.minutes.version },
    });
    return minutesBundle(doc, baseUrl);
  }
}
