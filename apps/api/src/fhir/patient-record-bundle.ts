import type {
  Attachment,
  Consent,
  ConsultationStatus,
  MachineReading,
  Patient,
} from '@caunoi/shared';
import { machineReadingResources } from './machine-reading-resources';
import { nameUuid, patientResource, PRIORITY, type Resource } from './minutes-bundle';

/** One consultation of the patient, with what it holds. */
export interface ConsultationRecord {
  id: string;
  status: ConsultationStatus;
  urgency: keyof typeof PRIORITY;
  specialty: string;
  summary: string;
  question: string;
  createdAt: string;
  submittedAt: string | null;
  attachments: Attachment[];
  /** Completed machine pre-reads of its images (suggestions, with any clinician review). */
  machineReadings: MachineReading[];
  /** The latest signed minutes as their own document Bundle (see minutes-bundle.ts). */
  minutesBundle: Record<string, unknown> | null;
}

export interface PatientRecord {
  patient: Patient;
  consents: Consent[];
  consultations: ConsultationRecord[];
}

const REQUEST_STATUS: Record<ConsultationStatus, string> = {
  draft: 'draft',
  submitted: 'active',
  accepted: 'active',
  scheduled: 'active',
  in_progress: 'active',
  completed: 'completed',
  declined: 'revoked',
  cancelled: 'revoked',
};

const ref = (r: Resource) => ({ reference: `urn:uuid:${r.id}` });

/**
 * Everything held about one patient, as a FHIR R4 `collection` Bundle: the answer to a data
 * subject's request for their data. Signed minutes travel as the same document Bundles that
 * `GET /consultations/:id/fhir` gives, so a receiving system reads them the same way.
 */
export function patientRecordBundle(record: PatientRecord, baseUrl: string, at: Date) {
  const patient = patientResource(record.patient, record.patient.facilityId);
  const consents: Resource[] = record.consents.map((c) => ({
    resourceType: 'Consent',
    id: c.id,
    status: c.granted ? 'active' : 'rejected',
    scope: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/consentscope',
          code: 'patient-privacy',
        },
      ],
    },
    category: [{ text: c.kind }],
    patient: ref(patient),
    dateTime: c.recordedAt,
    policyRule: { text: c.kind },
    ...(c.note ? { sourceAttachment: { title: c.note.slice(0, 200) } } : {}),
  }));
  const perConsultation = record.consultations.flatMap((c) => {
    const request: Resource = {
      resourceType: 'ServiceRequest',
      id: c.id,
      status: REQUEST_STATUS[c.status],
      intent: 'order',
      priority: PRIORITY[c.urgency],
      code: { text: `Hội chẩn từ xa — ${c.specialty}` },
      subject: ref(patient),
      authoredOn: c.submittedAt ?? c.createdAt,
      reasonCode: [{ text: c.question }],
      note: [{ text: c.summary }],
    };
    const documents: Resource[] = c.attachments.map((a) => ({
      resourceType: 'DocumentReference',
      id: a.id,
      status: 'current',
      subject: ref(patient),
      date: a.createdAt,
      description: a.fileName,
      content: [
        {
          attachment: {
            contentType: a.mediaType,
            url: `${baseUrl}/api/attachments/${a.id}/content`,
            size: a.sizeBytes,
            title: a.fileName,
            creation: a.createdAt,
          },
        },
      ],
      context: { related: [ref(request)] },
    }));
    const minutes = c.minutesBundle
      ? [{ ...c.minutesBundle, id: String(c.minutesBundle.id) } as Resource]
      : [];
    const readings = c.machineReadings.flatMap((r) =>
      machineReadingResources(r, ref(patient), ref(request)),
    );
    return [request, ...documents, ...readings, ...minutes];
  });
  const resources = [patient, ...consents, ...perConsultation];
  return {
    resourceType: 'Bundle',
    id: nameUuid(`patient-record:${record.patient.id}:${at.toISOString()}`),
    type: 'collection',
    timestamp: at.toISOString(),
    entry: resources.map((r) => ({ fullUrl: `urn:uuid:${r.id}`, resource: r })),
  };
}
