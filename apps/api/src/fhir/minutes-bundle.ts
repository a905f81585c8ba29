import { createHash } from 'node:crypto';
import type { Facility, Patient, PresentParticipant } from '@caunoi/shared';
import type { MinutesDocument } from '../minutes/minutes-document';

/** Naming systems for our identifiers (URIs under the project's namespace, not resolvable URLs). */
export const FHIR_SYSTEMS = {
  nationalId: 'urn:caunoi:vn:cccd',
  insurance: 'urn:caunoi:vn:bhyt',
  license: 'urn:caunoi:vn:cchn',
  facility: 'urn:caunoi:facility-code',
  minutes: 'urn:caunoi:minutes',
} as const;

export type Resource = { resourceType: string; id: string } & Record<string, unknown>;

/** Deterministic UUID from a name, so two resources made from one session never share an id. */
export function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ref = (r: Resource) => ({ reference: `urn:uuid:${r.id}` });
const xhtml = (text: string) =>
  `<div xmlns="http://www.w3.org/1999/xhtml"><p>${text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n/g, '<br/>')}</p></div>`;

function organization(f: Facility): Resource {
  return {
    resourceType: 'Organization',
    id: f.id,
    identifier: [{ system: FHIR_SYSTEMS.facility, value: f.code }],
    active: true,
    name: f.name,
    address: [{ state: f.province, country: 'VN' }],
  };
}

function practitioner(p: { id: string; fullName: string; licenseNumber: string | null }): Resource {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    ...(p.licenseNumber
      ? { identifier: [{ system: FHIR_SYSTEMS.license, value: p.licenseNumber }] }
      : {}),
    name: [{ text: p.fullName }],
  };
}

/** The patient as a FHIR Patient, managed by the facility that registered them. */
export function patientResource(patient: Patient, managingFacilityId: string): Resource {
  return {
    resourceType: 'Patient',
    id: patient.id,
    identifier: [
      ...(patient.nationalId
        ? [{ system: FHIR_SYSTEMS.nationalId, value: patient.nationalId }]
        : []),
      ...(patient.insuranceNumber
        ? [{ system: FHIR_SYSTEMS.insurance, value: patient.insuranceNumber }]
        : []),
    ],
    name: [{ text: patient.fullName }],
    gender: patient.sex === 'other' ? 'other' : patient.sex,
    birthDate: patient.dateOfBirth,
    managingOrganization: { reference: `urn:uuid:${managingFacilityId}` },
  };
}

export const PRIORITY = { routine: 'routine', urgent: 'urgent', emergency: 'stat' } as const;

/**
 * Signed minutes as a FHIR R4 document Bundle: Composition first, then Patient, Practitioners,
 * Organizations, ServiceRequest, Appointment, Encounter and DocumentReferences for attachments.
 */
export function minutesBundle(doc: MinutesDocument, baseUrl: string): Record<string, unknown> {
  const { minutes, consultation, patient, session } = doc;
  const signedAt = minutes.signedAt!;
  const patientRes = patientResource(patient, doc.requestingFacility.id);
  const requestingOrg = organization(doc.requestingFacility);
  const targetOrg = organization(doc.targetFacility);
  const people = new Map<string, Resource>();
  const addPractitioner = (p: { id: string; fullName: string; licenseNumber: string | null }) => {
    if (!people.has(p.id)) people.set(p.id, practitioner(p));
    return people.get(p.id)!;
  };
  const chair = addPractitioner(doc.chair);
  const requester = addPractitioner(doc.requester);
  if (doc.secretary) addPractitioner(doc.secretary);
  minutes.participants.forEach((p: PresentParticipant) =>
    addPractitioner({ id: p.userId, fullName: p.fullName, licenseNumber: p.licenseNumber }),
  );

  const serviceRequest: Resource = {
    resourceType: 'ServiceRequest',
    id: consultation.id,
    status: 'completed',
    intent: 'order',
    priority: PRIORITY[consultation.urgency],
    code: { text: `Hội chẩn từ xa — ${consultation.specialty}` },
    subject: ref(patientRes),
    authoredOn: consultation.submittedAt ?? consultation.createdAt,
    requester: ref(requester),
    performer: [ref(targetOrg)],
    reasonCode: [{ text: consultation.question }],
    note: [{ text: consultation.summary }],
  };
  const participants = [...people.values()].map((p) => ({ actor: ref(p), status: 'accepted' }));
  const appointment: Resource | null = session
    ? {
        resourceType: 'Appointment',
        id: session.id,
        status: 'fulfilled',
        description: session.title ?? 'Hội chẩn từ xa',
        start: session.startsAt,
        end: session.endsAt,
        basedOn: [ref(serviceRequest)],
        participant: [{ actor: ref(patientRes), status: 'accepted' }, ...participants],
      }
    : null;
  const encounter: Resource = {
    resourceType: 'Encounter',
    id: nameUuid(`encounter:${session?.id ?? consultation.id}`),
    status: 'finished',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'VR',
      display: 'virtual',
    },
    subject: ref(patientRes),
    basedOn: [ref(serviceRequest)],
    ...(appointment ? { appointment: [ref(appointment)] } : {}),
    participant: [...people.values()].map((p) => ({ individual: ref(p) })),
    ...(session ? { period: { start: session.startsAt, end: session.endsAt } } : {}),
    serviceProvider: ref(targetOrg),
  };
  // Coded conclusions: one Condition per ICD-10 diagnosis, the primary one first.
  const conditions: Resource[] = [...minutes.diagnoses]
    .sort((a, b) => Number(b.primary) - Number(a.primary))
    .map((d) => ({
      resourceType: 'Condition',
      id: nameUuid(`condition:${minutes.id}:${d.code}`),
      verificationStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
            code: 'provisional',
          },
        ],
      },
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-category',
              code: 'encounter-diagnosis',
            },
          ],
          text: d.primary ? 'Chẩn đoán chính' : 'Chẩn đoán kèm theo',
        },
      ],
      code: {
        coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: d.code, display: d.name }],
        text: d.name,
      },
      subject: ref(patientRes),
      encounter: ref(encounter),
      recordedDate: signedAt,
      asserter: ref(chair),
    }));
  const documents: Resource[] = doc.attachments.map((a) => ({
    resourceType: 'DocumentReference',
    id: a.id,
    status: 'current',
    subject: ref(patientRes),
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
    context: { encounter: [ref(encounter)], related: [ref(serviceRequest)] },
  }));
  const section = (title: string, text: string) => ({
    title,
    text: { status: 'generated', div: xhtml(text) },
  });
  const composition: Resource = {
    resourceType: 'Composition',
    id: minutes.id,
    identifier: { system: FHIR_SYSTEMS.minutes, value: `${consultation.id}/v${minutes.version}` },
    status: 'final',
    type: {
      coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }],
      text: 'Biên bản hội chẩn',
    },
    subject: ref(patientRes),
    encounter: ref(encounter),
    date: signedAt,
    author: [ref(chair)],
    title: 'Biên bản hội chẩn từ xa',
    attester: [{ mode: 'legal', time: signedAt, party: ref(chair) }],
    custodian: ref(targetOrg),
    ...(minutes.supersedesId
      ? {
          relatesTo: [
            {
              code: 'replaces',
              targetIdentifier: {
                system: FHIR_SYSTEMS.minutes,
                value: `${consultation.id}/v${minutes.version - 1}`,
              },
            },
          ],
        }
      : {}),
    section: [
      section(
        'Thành phần tham dự',
        minutes.participants.map((p) => `${p.fullName} — ${p.facilityName ?? ''}`).join('\n') ||
          'Không ghi nhận',
      ),
      section('Tóm tắt bệnh án', minutes.summary),
      section('Ý kiến thảo luận', minutes.opinions),
      {
        ...section('Kết luận', minutes.conclusion),
        ...(conditions.length ? { entry: conditions.map(ref) } : {}),
      },
      section('Hướng xử trí, điều trị', minutes.recommendations),
      ...(documents.length ? [{ title: 'Tài liệu đính kèm', entry: documents.map(ref) }] : []),
    ],
  };
  const resources: Resource[] = [
    composition,
    patientRes,
    ...people.values(),
    requestingOrg,
    targetOrg,
    serviceRequest,
    ...(appointment ? [appointment] : []),
    encounter,
    ...conditions,
    ...documents,
  ];
  return {
    resourceType: 'Bundle',
    id: nameUuid(`bundle:${minutes.id}`),
    identifier: { system: FHIR_SYSTEMS.minutes, value: minutes.id },
    type: 'document',
    timestamp: signedAt,
    entry: resources.map((r) => ({ fullUrl: `urn:uuid:${r.id}`, resource: r })),
  };
}
