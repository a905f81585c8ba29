import { createServer, type Server, type Socket } from 'node:net';
import { makeStudy, startOrthanc, type MadeStudy, type TestOrthanc } from '@caunoi/test-support';
import { APP_CONFIG, type AppConfig } from '../src/config/config.module';
import { submittedConsultation } from './support/fixtures';
import { settledImport, storeStudies } from './support/pacs-fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

// The limits of a PACS import and the faults of a PACS, against a real Orthanc (no auth) and a
// socket that accepts and never answers: what one import may fetch is refused before anything
// is fetched, an import stopped by its byte limit resumes where it stopped, a stalled PACS is a
// 424 `pacs_timeout`, and without STORAGE_KEY no secret is stored.

describe('PACS import limits and faults', () => {
  let t: TestApp;
  let orthanc: TestOrthanc;
  let study: MadeStudy;
  let facilityId: string;
  let consultationId: string;
  let stalled: Server;
  const sockets: Socket[] = [];
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const configure = (baseUrl: string) =>
    t
      .http()
      .put(`/api/facilities/${facilityId}/pacs`)
      .set(admin())
      .send({ baseUrl, authKind: 'none' })
      .expect(200);
  const startImport = (body: object) =>
    t.http().post(`/api/consultations/${consultationId}/pacs-imports`).set(d1()).send(body);
  const waitFor = (importId: string) => settledImport(t, d1(), consultationId, importId);

  beforeAll(async () => {
    orthanc = await startOrthanc();
    study = makeStudy({ root: '1.2.826.0.1.3680043.10.9101', instances: 3 });
    await storeStudies(orthanc, study);
    stalled = createServer((s) => sockets.push(s)); // accepts, reads nothing, answers nothing
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    // No STORAGE_KEY: secrets cannot be sealed. One import may fetch at most 3 instances.
    t = await startTestApp({ PACS_IMPORT_MAX_INSTANCES: '3', PACS_TIMEOUT_SECONDS: '1' });
    const c = await submittedConsultation(t);
    consultationId = c.id;
    facilityId = c.requestingFacilityId;
  });
  afterAll(async () => {
    await t?.close();
    await orthanc?.stop();
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => stalled?.close(r));
  });

  it('refuses to store a password without STORAGE_KEY, and says so', async () => {
    const res = await t
      .http()
      .put(`/api/facilities/${facilityId}/pacs`)
      .set(admin())
      .send({ baseUrl: orthanc.dicomWebRoot, authKind: 'basic', username: 'u', password: 'p' })
      .expect(409);
    expect(res.body.code).toBe('storage_key_missing');
    const missing = await t
      .http()
      .put(`/api/facilities/${facilityId}/pacs`)
      .set(admin())
      .send({ baseUrl: orthanc.dicomWebRoot, authKind: 'bearer' })
      .expect(400);
    expect(missing.body.details[0].path).toBe('token');
  });

  it('a selection over the instance limit is refused before anything is fetched', async () => {
    await configure(orthanc.dicomWebRoot);
    const res = await startImport({ studyUid: study.studyInstanceUid }).expect(413);
    expect(res.body.details[0].path).toBe('studyUid');
    expect(res.body.message).toMatch(/4 instances.*at most 3/);
    const rows = await t.sql(`SELECT 1 FROM pacs_imports`);
    expect(rows).toHaveLength(0);
    const unknown = await startImport({ studyUid: '1.2.3.4.5' }).expect(400);
    expect(unknown.body.details[0].path).toBe('studyUid');
    await startImport({ studyUid: 'not a uid' }).expect(400);
  });

  it('an import stopped by its byte limit fetches only the rest when started again', async () => {
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const first = study.series[0].files[0].bytes.length;
    config.PACS_IMPORT_MAX_BYTES = first + 1; // stops after the second instance
    const series = [study.series[0].uid];
    const stopped = await waitFor(
      (await startImport({ studyUid: study.studyInstanceUid, seriesUids: series }).expect(202)).body
        .id,
    );
    expect(stopped).toMatchObject({
      status: 'failed',
      instancesTotal: 3,
      instancesStored: 2,
      error: { code: 'import_too_large' },
    });
    config.PACS_IMPORT_MAX_BYTES = 1024 * 1024 * 1024;
    const resumed = await waitFor(
      (await startImport({ studyUid: study.studyInstanceUid, seriesUids: series }).expect(202)).body
        .id,
    );
    expect(resumed).toMatchObject({ status: 'done', instancesStored: 1, instancesSkipped: 2 });
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM attachments WHERE consultation_id = $1`,
      [consultationId],
    );
    expect(n).toBe(3);
  });

  it('a PACS that accepts and never answers is a 424 pacs_timeout, not a hang or a 5xx', async () => {
    const { port } = stalled.address() as { port: number };
    await configure(`http://127.0.0.1:${port}/dicom-web/`);
    const res = await t
      .http()
      .get(`/api/facilities/${facilityId}/pacs/studies`)
      .query({ modality: 'CT' })
      .set(d1())
      .expect(424);
    expect(res.body.code).toBe('pacs_timeout');
    const test = await t
      .http()
      .post(`/api/facilities/${facilityId}/pacs/test`)
      .set(admin())
      .expect(200);
    expect(test.body).toMatchObject({ ok: false, code: 'pacs_timeout' });
  });
});
