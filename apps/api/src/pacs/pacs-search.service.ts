import { Inject, Injectable } from '@nestjs/common';
import type { List, PacsSeries, PacsStudy, PacsStudyQuery } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import { hasRole, type Actor } from '../auth/current-user';
import { TAG, toDicomDate, toSeries, toStudy } from './dicom-json';
import { PacsConfigService } from './pacs-config.service';

const STUDY_FIELDS = [
  TAG.studyDescription,
  TAG.modalitiesInStudy,
  TAG.seriesInStudy,
  TAG.instancesInStudy,
  TAG.accessionNumber,
];
const SERIES_FIELDS = [TAG.seriesDescription, TAG.seriesNumber, TAG.instancesInSeries];

/** A name as typed ("nguyen van") as a DICOM wildcard match on the name's parts (`*NGUYEN*VAN*`). */
const nameMatch = (name: string) =>
  `*${name
    .split(/[\s^,]+/)
    .filter(Boolean)
    .map((part) => part.replace(/[*?\\]/g, ''))
    .join('*')}*`;

/**
 * QIDO-RS searches of a facility's PACS, for that facility's requesters (who attach what they
 * find to their requests). The PACS holds patient data, so every search is audited with what was
 * looked for (the patient ID and filters, never the name typed) and how many studies came back.
 */
@Injectable()
export class PacsSearchService {
  constructor(
    @Inject(PacsConfigService) private readonly configs: PacsConfigService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async studies(actor: Actor, facilityId: string, q: PacsStudyQuery): Promise<List<PacsStudy>> {
    await this.mayUse(actor, facilityId);
    const client = await this.configs.client(facilityId);
    const date =
      q.dateFrom || q.dateTo
        ? `${q.dateFrom ? toDicomDate(q.dateFrom) : ''}-${q.dateTo ? toDicomDate(q.dateTo) : ''}`
        : undefined;
    const found = await client.search('studies', {
      PatientID: q.patientId,
      PatientName: q.patientName ? nameMatch(q.patientName) : undefined,
      StudyDate: q.dateFrom === q.dateTo && q.dateFrom ? toDicomDate(q.dateFrom) : date,
      ModalitiesInStudy: q.modality,
      includefield: STUDY_FIELDS,
      limit: String(q.limit),
    });
    const items = found
      .map(toStudy)
      .filter((s) => s.studyUid)
      .slice(0, q.limit);
    await this.audit.record(actor, 'pacs.search', {
      type: 'facility',
      id: facilityId,
      details: {
        ...(q.patientId ? { patientId: q.patientId } : {}),
        byName: !!q.patientName,
        ...(q.dateFrom ? { dateFrom: q.dateFrom } : {}),
        ...(q.dateTo ? { dateTo: q.dateTo } : {}),
        ...(q.modality ? { modality: q.modality } : {}),
        results: items.length,
      },
    });
    return { items };
  }

  async series(actor: Actor, facilityId: string, studyUid: string): Promise<List<PacsSeries>> {
    await this.mayUse(actor, facilityId);
    const client = await this.configs.client(facilityId);
    const found = await client.search(`studies/${studyUid}/series`, {
      includefield: SERIES_FIELDS,
    });
    const items = found
      .map(toSeries)
      .filter((s) => s.seriesUid)
      .sort((a, b) => (a.number ?? 0) - (b.number ?? 0));
    await this.audit.record(actor, 'pacs.search', {
      type: 'facility',
      id: facilityId,
      details: { studyUid, results: items.length },
    });
    return { items };
  }

  /** Requesters of the facility search its PACS; anyone else is refused (and audited). */
  private async mayUse(actor: Actor, facilityId: string): Promise<void> {
    await this.access.require(
      actor,
      hasRole(actor.user, 'requester') && actor.user.facilityId === facilityId,
      "Only the facility's requesters may search its PACS",
      { type: 'facility', id: facilityId },
    );
  }
}
