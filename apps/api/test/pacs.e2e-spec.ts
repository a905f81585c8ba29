import { createHash, randomBytes } from 'node:crypto';
import { makeStudy, startOrthanc, type MadeStudy, type TestOrthanc } from '@caunoi/test-support';
import { submittedConsultation } from './support/fixtures';
import { settledImport, storeStudies } from './support/pacs-fixtures';
import { bearer, binaryParser, startTestApp, TestApp } from './support/test-app';

// A facility's PACS against a real Orthanc (DICOMweb plugin): settings with a sealed secret,
// QIDO-RS searches, WADO-RS imports that land as ordinary attachments with the PACS's exact
// bytes, retries that store nothing twice, and PACS faults answered as 424s with a code.
const PASSWORD = `pacs-${randomBytes(6).toString('hex')}`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('PACS import over DICOMweb (real Orthanc)', () => {
  let t: TestApp;
  let orthanc: TestOrthanc;
  let study: MadeStudy;
  let other: MadeStudy;
  let facilityId: string;
  let consultationId: string;
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const pacsUrl = () => `/api/facilities/${facilityId}/pacs`;
  const configure = (password = PASSWORD) =>
    t.http().put(pacsUrl()).set(admin()).send({
      baseUrl: orthanc.dicomWebRoot,
      label: 'Orthanc TTYT',
      authKind: 'basic',
      username: 'pacs',
      password,
    });
  const searchStudies = (q: Record<string, string>) =>
    t.http().get(`${pacsUrl()}/studies`).query(q).set(d1());
  const waitFor = (importId: string) => settledImport(t, d1(), consultationId, importId);
  const attachments = async () =>
    (await t.http().get(`/api/consultations/${consultationId}/attachments`).set(d1()).expect(200))
      .body.items as {
      id: string;
      sha256: string;
      kind: string;
      metadata: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    orthanc = await startOrthanc({ users: { pacs: PASSWORD } });
    study = makeStudy({ root: '1.2.826.0.1.3680043.10.9001', patientId: 'PID-0001' });
    other = makeStudy({
      root: '1.2.826.0.1.3680043.10.9002',
      patientId: 'PID-0002',
      patientName: 'TRAN^THI^B',
      studyDate: '20260305',
      modality: 'MR',
      instances: 2,
    });
    await storeStudies(orthanc, study, other);
    t = await startTestApp({ STORAGE_KEY: randomBytes(32).toString('hex') });
    const c = await submittedConsultation(t);
    consultationId = c.id;
    facilityId = c.requestingFacilityId;
  });
  afterAll(async () => {
    await t?.close();
    await orthanc?.stop();
  });

  it('an admin configures the PACS; the password is sealed in the row and never answered', async () => {
    await t.http().get(pacsUrl()).set(d1()).expect(404);
    await configure().set(d1()).expect(403);
    const res = await configure().expect(200);
    expect(res.body).toMatchObject({
      facilityId,
      baseUrl: orthanc.dicomWebRoot,
      authKind: 'basic',
      username: 'pacs',
      hasPassword: true,
      hasToken: false,
    });
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    const seen = await t.http().get(pacsUrl()).set(d1()).expect(200);
    expect(JSON.stringify(seen.body)).not.toContain(PASSWORD);
    // Someone of another facility does not see it.
    await t.http().get(pacsUrl()).set(bearer(t.tokens['coordinator@central-a.demo'])).expect(403);
    const [row] = await t.sql<{ secret: Buffer }>(
      `SELECT secret FROM facility_pacs WHERE facility_id = $1`,
      [facilityId],
    );
    expect(row.secret.length).toBeGreaterThan(PASSWORD.length);
    expect(row.secret.includes(Buffer.from(PASSWORD))).toBe(false);
    // Saving again without the password keeps the stored one.
    await t
      .http()
      .put(pacsUrl())
      .set(admin())
      .send({ baseUrl: orthanc.dicomWebRoot, authKind: 'basic', username: 'pacs' })
      .expect(200);
    const test = await t.http().post(`${pacsUrl()}/test`).set(admin()).expect(200);
    expect(test.body).toMatchObject({ ok: true });
    // A bad base URL names the field.
    const bad = await t
      .http()
      .put(pacsUrl())
      .set(admin())
      .send({ baseUrl: 'ftp://x', authKind: 'none' })
      .expect(400);
    expect(bad.body.details[0].path).toBe('baseUrl');
  });

  it('requesters of the facility search by patient ID, name, modality and date; others are refused', async () => {
    const byId = await searchStudies({ patientId: 'PID-0001' }).expect(200);
    expect(byId.body.items).toHaveLength(1);
    expect(byId.body.items[0]).toMatchObject({
      studyUid: study.studyInstanceUid,
      date: '2026-11-20',
      description: 'CT NGUC',
      patientId: 'PID-0001',
      patientName: 'NGUYEN^VAN^A',
      seriesCount: 2,
      instanceCount: 4,
    });
    expect([...byId.body.items[0].modalities].sort()).toEqual(['CT', 'OT']);
    const byName = await searchStudies({ patientName: 'tran thi' }).expect(200);
    expect(byName.body.items.map((s: { studyUid: string }) => s.studyUid)).toEqual([
      other.studyInstanceUid,
    ]);
    const mr = await searchStudies({ modality: 'mr' }).expect(200);
    expect(mr.body.items.map((s: { patientId: string }) => s.patientId)).toEqual(['PID-0002']);
    const march = await searchStudies({ dateFrom: '2026-03-01', dateTo: '2026-03-31' }).expect(200);
    expect(march.body.items.map((s: { patientId: string }) => s.patientId)).toEqual(['PID-0002']);
    const none = await searchStudies({ dateFrom: '2025-01-01', dateTo: '2025-12-31' }).expect(200);
    expect(none.body.items).toEqual([]);
    const empty = await searchStudies({}).expect(400);
    expect(empty.body.details[0].path).toBe('patientId');
    await t
      .http()
      .get(`${pacsUrl()}/studies`)
      .query({ patientId: 'PID-0001' })
      .set(bearer(t.tokens['specialist1@central-a.demo']))
      .expect(403);
    await t
      .http()
      .get(`/api/facilities/${t.facilityIds['BV-TW-A']}/pacs/studies`)
      .query({ patientId: 'PID-0001' })
      .set(d1())
      .expect(403);
    const series = await t
      .http()
      .get(`${pacsUrl()}/studies/${study.studyInstanceUid}/series`)
      .set(d1())
      .expect(200);
    expect(series.body.items.map((s: { seriesUid: string }) => s.seriesUid)).toEqual(
      study.series.map((s) => s.uid),
    );
    expect(series.body.items[0]).toMatchObject({ modality: 'CT', number: 1, instanceCount: 3 });
    const audit = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'pacs.search' AND target_id = $1`,
      [facilityId],
    );
    expect(audit[0].n).toBe(6);
    const refused = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'access.refused' AND target_type = 'facility'`,
    );
    expect(refused[0].n).toBeGreaterThanOrEqual(2);
  });

  it('imports a whole study: every instance becomes an attachment with the bytes the PACS holds', async () => {
    const started = await t
      .http()
      .post(`/api/consultations/${consultationId}/pacs-imports`)
      .set(d1())
      .send({ studyUid: study.studyInstanceUid })
      .expect(202);
    expect(started.body).toMatchObject({ studyUid: study.studyInstanceUid, instancesTotal: 4 });
    const done = await waitFor(started.body.id);
    expect(done).toMatchObject({
      status: 'done',
      instancesStored: 4,
      instancesSkipped: 0,
      error: null,
    });
    const files = study.series.flatMap((s) => s.files);
    const list = await attachments();
    expect(list.map((a) => a.sha256).sort()).toEqual(files.map((f) => sha(f.bytes)).sort());
    expect(list.every((a) => a.kind === 'dicom')).toBe(true);
    expect(list.filter((a) => a.metadata.modality === 'CT')).toHaveLength(3);
    // The compressed instance comes back byte for byte (no transcoding), also when downloaded.
    const jpeg = files[files.length - 1];
    const att = list.find((a) => a.sha256 === sha(jpeg.bytes))!;
    const body = await t
      .http()
      .get(`/api/attachments/${att.id}/content`)
      .set(d1())
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(Buffer.compare(body.body as Buffer, jpeg.bytes)).toBe(0);
    const audit = await t.sql<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM audit_events
        WHERE action IN ('pacs.import', 'pacs.import.finish', 'attachment.upload') GROUP BY action`,
    );
    expect(Object.fromEntries(audit.map((r) => [r.action, r.n]))).toEqual({
      'pacs.import': 1,
      'pacs.import.finish': 1,
      'attachment.upload': 4,
    });
  });

  it('importing again stores nothing twice; a chosen series imports alone', async () => {
    const again = await t
      .http()
      .post(`/api/consultations/${consultationId}/pacs-imports`)
      .set(d1())
      .send({ studyUid: study.studyInstanceUid })
      .expect(202);
    const done = await waitFor(again.body.id);
    expect(done).toMatchObject({ status: 'done', instancesStored: 0, instancesSkipped: 4 });
    expect(await attachments()).toHaveLength(4);
    const one = await t
      .http()
      .post(`/api/consultations/${consultationId}/pacs-imports`)
      .set(d1())
      .send({ studyUid: other.studyInstanceUid, seriesUids: [other.series[0].uid] })
      .expect(202);
    expect(await waitFor(one.body.id)).toMatchObject({ status: 'done', instancesStored: 2 });
    expect(await attachments()).toHaveLength(6);
    const wrongSeries = await t
      .http()
      .post(`/api/consultations/${consultationId}/pacs-imports`)
      .set(d1())
      .send({ studyUid: other.studyInstanceUid, seriesUids: [study.series[0].uid] })
      .expect(400);
    expect(wrongSeries.body.details[0].path).toBe('seriesUids');
    // The other side of the request may not import.
    await t
      .http()
      .post(`/api/consultations/${consultationId}/pacs-imports`)
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .send({ studyUid: study.studyInstanceUid })
      .expect(403);
    const listed = await t
      .http()
      .get(`/api/consultations/${consultationId}/pacs-imports`)
      .set(d1())
      .expect(200);
    expect(listed.body.items).toHaveLength(3);
  });

  it('a wrong password and a stopped PACS are 424s with a code, never a 5xx', async () => {
    await configure('not-the-password').expect(200);
    const test = await t.http().post(`${pacsUrl()}/test`).set(admin()).expect(200);
    expect(test.body).toMatchObject({ ok: false, code: 'pacs_auth_failed' });
    const refused = await searchStudies({ patientId: 'PID-0001' }).expect(424);
    expect(refused.body.code).toBe('pacs_auth_failed');
    await configure().expect(200);
    await orthanc.stop();
    const down = await searchStudies({ patientId: 'PID-0001' }).expect(424);
    expect(down.body).toMatchObject({ code: 'pacs_unreachable', statusCode: 424 });
    const importDown = await t
      .http()
      .post(`/api/consultations/${consultationId}/pacs-imports`)
      .set(d1())
      .send({ studyUid: study.studyInstanceUid })
      .expect(424);
    expect(importDown.body.code).toBe('pacs_unreachable');
    const testDown = await t.http().post(`${pacsUrl()}/test`).set(admin()).expect(200);
    expect(testDown.body).toMatchObject({ ok: false, code: 'pacs_unreachable' });
    await t.http().delete(pacsUrl()).set(admin()).expect(204);
    const gone = await searchStudies({ patientId: 'PID-0001' }).expect(409);
    expect(gone.body.code).toBe('pacs_not_configured');
  });
});
