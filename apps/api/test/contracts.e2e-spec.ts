import {
  ATTACHMENT_FORMATS,
  AttachmentSchema,
  AuditEventSchema,
  AVAILABILITY_EXCEPTION_KINDS,
  AvailabilityBlockSchema,
  AvailabilityDescriptionSchema,
  BookedSessionSchema,
  CalendarFeedSchema,
  ChatMessageSchema,
  CONSENT_KINDS,
  ConsentSchema,
  CONSULTATION_MODES,
  SESSION_KINDS,
  CONSULTATION_STATUSES,
  ConsultationDetailSchema,
  ConsultationViewSchema,
  FACILITY_LEVELS,
  FacilityDetailSchema,
  FacilitySchema,
  listOf,
  MINUTES_STATUSES,
  PACS_AUTH_KINDS,
  PACS_IMPORT_STATUSES,
  MinutesViewSchema,
  PatientDetailSchema,
  PatientRevisionSchema,
  PatientSchema,
  RECORDING_STATUSES,
  MACHINE_READING_STATUSES,
  MACHINE_FINDING_DECISIONS,
  REGIONS,
  ROLES,
  SESSION_CHANGE_KINDS,
  SESSION_END_REASONS,
  SESSION_STATUSES,
  SessionListItemSchema,
  SessionsPerFacilityRowSchema,
  SessionViewSchema,
  SEXES,
  SuggestionsSchema,
  SUPPORT_KINDS,
  TimeToSessionRowSchema,
  URGENCIES,
  UserAccountSchema,
  UserSummarySchema,
} from '@caunoi/shared';
import type { z } from 'zod';
import { labReportPdf } from './support/files';
import { bearer, startTestApp, TestApp, type DemoEmail } from './support/test-app';

/**
 * The shared vocabularies and response contracts are what the database and the API really hold:
 * every CHECK that lists allowed words matches a list in libs/shared, and every response parses
 * with its shared schema without losing a field.
 */
describe('shared vocabularies and response contracts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** table.column → the shared list its CHECK constraint must allow, word for word. */
  const VOCABULARIES: Record<string, readonly string[]> = {
    'consultations.status': CONSULTATION_STATUSES,
    'consultations.urgency': URGENCIES,
    'consultations.mode': CONSULTATION_MODES,
    'sessions.status': SESSION_STATUSES,
    'session_changes.kind': SESSION_CHANGE_KINDS,
    'sessions.end_reason': SESSION_END_REASONS,
    'sessions.kind': SESSION_KINDS,
    'attachments.kind': ATTACHMENT_FORMATS,
    'users.roles': ROLES,
    'patients.sex': SEXES,
    'consents.kind': CONSENT_KINDS,
    'facilities.level': FACILITY_LEVELS,
    'facilities.region': REGIONS,
    'support_links.kind': SUPPORT_KINDS,
    'minutes.status': MINUTES_STATUSES,
    'availability_exceptions.kind': AVAILABILITY_EXCEPTION_KINDS,
    'recordings.status': RECORDING_STATUSES,
    'facility_pacs.auth_kind': PACS_AUTH_KINDS,
    'pacs_imports.status': PACS_IMPORT_STATUSES,
    'machine_readings.status': MACHINE_READING_STATUSES,
    'machine_findings.decision': MACHINE_FINDING_DECISIONS,
  };

  it('every word-list CHECK in the migrated schema equals its shared vocabulary', async () => {
    const rows = await t.sql<{ col: string; def: string }>(
      `SELECT c.conrelid::regclass::text || '.' || a.attname AS col, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'c' AND cardinality(c.conkey) = 1 AND c.connamespace = 'public'::regnamespace
          AND pg_get_constraintdef(c.oid) LIKE '%ARRAY[%'`,
    );
    const found: Record<string, string[]> = {};
    for (const r of rows)
      found[r.col] = [...r.def.matchAll(/'([^']*)'::text/g)].map((m) => m[1]).sort();
    const expected = Object.fromEntries(
      Object.entries(VOCABULARIES).map(([col, words]) => [col, [...words].sort()]),
    );
    // Both ways: a new word list in a migration needs its vocabulary here too.
    expect(found).toEqual(expected);
  });

  it('the database refuses a word outside the vocabulary', async () => {
    await expect(
      t.sql(
        `INSERT INTO sessions (starts_at, ends_at, status) VALUES (now(), now() + interval '1 hour', 'completed')`,
      ),
    ).rejects.toThrow(/sessions_status_known/);
  });

  const get = async (path: string, who: DemoEmail) => {
    const res = await t.http().get(`/api${path}`).set(bearer(t.tokens[who]));
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.body;
  };
  /** Parsing strips unknown keys, so equality also proves the schema names every field. */
  const exactly = <S extends z.ZodType>(schema: S, body: unknown) =>
    expect(schema.parse(body)).toEqual(body);

  const requester: DemoEmail = 'requester@district-1.demo';
  const coordinator: DemoEmail = 'coordinator@central-a.demo';
  const admin: DemoEmail = 'admin@caunoi.demo';

  it('people, facilities and patients', async () => {
    exactly(UserSummarySchema, await get('/me', requester));
    const facilities = await get('/facilities', requester);
    exactly(listOf(FacilitySchema), facilities);
    expect(facilities.items.length).toBeGreaterThan(0);
    exactly(FacilityDetailSchema, await get(`/facilities/${t.facilityIds['TTYT-H1']}`, requester));
    const users = await get('/users', admin);
    exactly(listOf(UserAccountSchema), users);
    expect(users.items.length).toBeGreaterThan(0);
    const patients = await get('/patients', requester);
    exactly(listOf(PatientSchema), patients);
    expect(patients.items.length).toBeGreaterThan(0);
    exactly(PatientDetailSchema, await get(`/patients/${patients.items[0].id}`, requester));
    const consent = await t
      .http()
      .post(`/api/patients/${patients.items[0].id}/consents`)
      .set(bearer(t.tokens[requester]))
      .send({ kind: 'recording', granted: false })
      .expect(201);
    exactly(ConsentSchema, consent.body);
    const corrected = await t
      .http()
      .patch(`/api/patients/${patients.items[0].id}`)
      .set(bearer(t.tokens[requester]))
      .send({ fullName: `${patients.items[0].fullName} A`, reason: 'sai chính tả' })
      .expect(200);
    exactly(PatientDetailSchema, corrected.body);
    const history = await get(`/patients/${patients.items[0].id}/history`, requester);
    exactly(listOf(PatientRevisionSchema), history);
    expect(history.items).toHaveLength(1);
  });

  it('consultations, attachments and minutes', async () => {
    const list = await get('/consultations', requester);
    exactly(listOf(ConsultationViewSchema), list);
    expect(list.total).toBeGreaterThan(0);
    const open = list.items.find((c: { status: string }) => c.status === 'submitted');
    const detail = await get(`/consultations/${open.id}`, requester);
    exactly(ConsultationDetailSchema, detail);
    expect(detail.allowedActions).toEqual(['cancel']);
    const upload = await t
      .http()
      .post(`/api/consultations/${open.id}/attachments`)
      .set(bearer(t.tokens[requester]))
      .attach('file', await labReportPdf(), 'xet-nghiem.pdf')
      .expect(201);
    exactly(AttachmentSchema, upload.body);
    const files = await get(`/consultations/${open.id}/attachments`, requester);
    exactly(listOf(AttachmentSchema), files);
    expect(files.items.map((a: { id: string }) => a.id)).toEqual([upload.body.id]);

    const done = list.items.find((c: { status: string }) => c.status === 'completed');
    exactly(MinutesViewSchema, await get(`/consultations/${done.id}/minutes`, coordinator));
  });

  it('sessions, scheduling, chat, calendar, audit and reports', async () => {
    const sessions = await get('/sessions', coordinator);
    exactly(listOf(SessionListItemSchema), sessions);
    expect(sessions.items.length).toBeGreaterThan(0);
    const session = await get(`/sessions/${sessions.items[0].id}`, coordinator);
    exactly(SessionViewSchema, session);
    exactly(listOf(ChatMessageSchema), await get(`/sessions/${session.id}/messages`, coordinator));

    const specialist = t.userIds['specialist2@central-a.demo'];
    const suggestions = await get(`/scheduling/suggestions?userIds=${specialist}`, coordinator);
    exactly(SuggestionsSchema, suggestions);
    const from = new Date(Date.now() + 86400_000);
    const to = new Date(from.getTime() + 7 * 86400_000);
    exactly(
      listOf(AvailabilityBlockSchema),
      await get(
        `/scheduling/availability?userIds=${specialist}&from=${from.toISOString()}&to=${to.toISOString()}`,
        coordinator,
      ),
    );
    exactly(
      AvailabilityDescriptionSchema,
      await get('/me/availability', 'specialist1@central-a.demo'),
    );
    exactly(CalendarFeedSchema, await get('/me/calendar', coordinator));

    const accepted = (await get('/consultations?status=accepted', coordinator)).items[0];
    const slot = suggestions.items[0];
    const booked = await t
      .http()
      .post('/api/sessions')
      .set(bearer(t.tokens[coordinator]))
      .send({
        consultationIds: [accepted.id],
        participantIds: [specialist],
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
      })
      .expect(201);
    exactly(BookedSessionSchema, booked.body);

    const audit = await get('/audit?limit=50', admin);
    exactly(listOf(AuditEventSchema), audit);
    expect(audit.total).toBeGreaterThan(0);
    exactly(
      listOf(SessionsPerFacilityRowSchema),
      await get('/reports/sessions-per-facility', admin),
    );
    exactly(listOf(TimeToSessionRowSchema), await get('/reports/time-to-session', admin));
  });
});
