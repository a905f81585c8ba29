import { fhirSchemaErrors } from '../../test/support/fhir';
import type { MinutesDocument } from '../minutes/minutes-document';
import { minutesBundle, nameUuid } from './minutes-bundle';

const facility = (id: string, code: string, name: string) => ({
  id,
  code,
  name,
  province: 'Phú Thọ',
  level: 'district' as const,
  region: null,
});
const user = (id: string, fullName: string, licenseNumber: string | null) => ({
  id,
  email: `${id}@x.demo`,
  fullName,
  roles: ['specialist' as const],
  facilityId: null,
  specialty: null,
  licenseNumber,
  passwordHash: 'x',
  active: true,
  createdAt: new Date(),
});

/** A signed correction without a session or attachments: the smallest document we may export. */
function minimalDocument(): MinutesDocument {
  const chair = user(
    '11111111-1111-4111-8111-111111111111',
    'PGS.TS. Trần Văn Minh',
    '001245/BYT-CCHN',
  );
  const requester = user('22222222-2222-4222-8222-222222222222', 'BS. Phạm Quốc Tuấn', null);
  return {
    minutes: {
      id: '33333333-3333-4333-8333-333333333333',
      consultationId: '44444444-4444-4444-8444-444444444444',
      version: 2,
      status: 'signed',
      summary: 'Tóm tắt <b>có thẻ</b> & ký tự đặc biệt',
      opinions: 'Ý kiến',
      conclusion: 'Kết luận',
      recommendations: 'Hướng xử trí',
      diagnoses: [],
      chairId: chair.id,
      secretaryId: null,
      sessionId: null,
      participants: [],
      supersedesId: '55555555-5555-4555-8555-555555555555',
      createdBy: chair.id,
      createdAt: '2026-11-20T03:00:00.000Z',
      updatedAt: '2026-11-20T03:00:00.000Z',
      signedAt: '2026-11-20T04:00:00.000Z',
      signedBy: chair.id,
    },
    consultation: {
      id: '44444444-4444-4444-8444-444444444444',
      status: 'completed',
      statusReason: null,
      urgency: 'emergency',
      specialty: 'hô hấp',
      summary: 'Ho',
      question: 'Hỏi',
      patient: {
        id: '66666666-6666-4666-8666-666666666666',
        fullName: 'Nguyễn Văn An',
        dateOfBirth: '1958-03-14',
        sex: 'male',
      },
      patientId: '66666666-6666-4666-8666-666666666666',
      requestingFacilityId: '77777777-7777-4777-8777-777777777777',
      targetFacilityId: '88888888-8888-4888-8888-888888888888',
      requesterId: requester.id,
      requestingFacility: {
        id: '77777777-7777-4777-8777-777777777777',
        name: 'Trung tâm Y tế huyện 1',
      },
      targetFacility: {
        id: '88888888-8888-4888-8888-888888888888',
        name: 'Bệnh viện Trung ương A',
      },
      requester: { id: requester.id, fullName: requester.fullName },
      submittedAt: null,
      createdAt: '2026-11-19T03:00:00.000Z',
      updatedAt: '2026-11-20T04:00:00.000Z',
    },
    patient: {
      id: '66666666-6666-4666-8666-666666666666',
      facilityId: '77777777-7777-4777-8777-777777777777',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1958-03-14',
      sex: 'other',
      nationalId: null,
      insuranceNumber: null,
      createdBy: requester.id,
      createdAt: '2026-11-19T03:00:00.000Z',
    },
    requestingFacility: facility(
      '77777777-7777-4777-8777-777777777777',
      'TTYT-H1',
      'Trung tâm Y tế huyện 1',
    ),
    targetFacility: facility(
      '88888888-8888-4888-8888-888888888888',
      'BV-TW-A',
      'Bệnh viện Trung ương A',
    ),
    requester,
    chair,
    secretary: null,
    session: null,
    attachments: [],
  };
}

describe('FHIR minutes bundle', () => {
  it('is schema-valid without a session, attachments or patient identifiers', () => {
    const bundle = minutesBundle(minimalDocument(), 'http://localhost:3000');
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    const types = (bundle.entry as Array<{ resource: { resourceType: string } }>).map(
      (e) => e.resource.resourceType,
    );
    expect(types).not.toContain('Appointment');
    expect(types[0]).toBe('Composition');
  });

  it('escapes clinical text into XHTML narrative and marks a correction as replacing the previous version', () => {
    const bundle = minutesBundle(minimalDocument(), 'http://localhost:3000') as {
      entry: Array<{ resource: Record<string, unknown> }>;
    };
    const composition = bundle.entry[0].resource as unknown as {
      section: Array<{ text: { div: string } }>;
      relatesTo: Array<{ code: string; targetIdentifier: { value: string } }>;
    };
    expect(composition.section[1].text.div).toContain(
      'Tóm tắt &lt;b&gt;có thẻ&lt;/b&gt; &amp; ký tự đặc biệt',
    );
    expect(composition.relatesTo[0]).toMatchObject({
      code: 'replaces',
      targetIdentifier: { value: '44444444-4444-4444-8444-444444444444/v1' },
    });
    const sr = bundle.entry.find((e) => e.resource.resourceType === 'ServiceRequest')!.resource;
    expect(sr.priority).toBe('stat');
  });

  it('carries ICD-10 diagnoses as Conditions, the primary first, referenced from the conclusion', () => {
    const doc = minimalDocument();
    doc.minutes.diagnoses = [
      { code: 'J18.9', name: 'Viêm phổi, không đặc hiệu', primary: false },
      { code: 'A15.0', name: 'Lao phổi, xác nhận bằng soi đờm', primary: true },
    ];
    const bundle = minutesBundle(doc, 'http://localhost:3000') as {
      entry: Array<{ fullUrl: string; resource: Record<string, unknown> }>;
    };
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    const conditions = bundle.entry.filter((e) => e.resource.resourceType === 'Condition');
    expect(
      conditions.map((c) => (c.resource.code as { coding: { code: string }[] }).coding[0]),
    ).toEqual([
      {
        system: 'http://hl7.org/fhir/sid/icd-10',
        code: 'A15.0',
        display: 'Lao phổi, xác nhận bằng soi đờm',
      },
      {
        system: 'http://hl7.org/fhir/sid/icd-10',
        code: 'J18.9',
        display: 'Viêm phổi, không đặc hiệu',
      },
    ]);
    const composition = bundle.entry[0].resource as {
      section: Array<{ title: string; entry?: { reference: string }[] }>;
    };
    const conclusion = composition.section.find((x) => x.title === 'Kết luận')!;
    expect(conclusion.entry!.map((r) => r.reference)).toEqual(conditions.map((c) => c.fullUrl));
  });

  it('derives distinct, stable UUIDs from names', () => {
    expect(nameUuid('encounter:a')).toBe(nameUuid('encounter:a'));
    expect(nameUuid('encounter:a')).not.toBe(nameUuid('bundle:a'));
    expect(nameUuid('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
