import { randomBytes } from 'node:crypto';
import {
  freePort,
  makeStudy,
  startOrthanc,
  type MadeStudy,
  type TestOrthanc,
} from '@caunoi/test-support';
import { APP_CONFIG, type AppConfig } from '../src/config/config.module';
import { submittedConsultation } from './support/fixtures';
import { storeStudies } from './support/pacs-fixtures';
import { bearer, binaryParser, startTestApp, TestApp } from './support/test-app';

// The DICOM inbox: a real Orthanc pushes a study (C-STORE) to the API's DICOM receiver,
// addressed to the facility's AE title; the facility's requester lists it and attaches it to a
// request. Each data set is kept as sent (a Part 10 header is put in front), an unknown sender
// is refused, and one SOP instance is one file of a request whichever way it came.

/** The data set of a Part 10 file: what follows the file meta group. */
function dataSet(file: Buffer): Buffer {
  const groupLength = file.readUInt32LE(140); // (0002,0000) UL value after preamble + DICM
  return file.subarray(144 + groupLength);
}

describe('DICOM inbox (C-STORE from a real Orthanc)', () => {
  let t: TestApp;
  let orthanc: TestOrthanc;
  let study: MadeStudy;
  let ids: string[];
  let facilityId: string;
  let consultationId: string;
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const send = (modality: string) =>
    fetch(`${orthanc.url}/modalities/${modality}/store`, {
      method: 'POST',
      body: JSON.stringify({ Resources: ids, Synchronous: true }),
    });
  const attach = () =>
    t
      .http()
      .post(`/api/consultations/${consultationId}/dicom-inbox-imports`)
      .set(d1())
      .send({ studyUid: study.studyInstanceUid });

  beforeAll(async () => {
    const port = await freePort();
    t = await startTestApp({
      DICOM_SCP_PORT: String(port),
      STORAGE_KEY: randomBytes(32).toString('hex'),
    });
    orthanc = await startOrthanc({
      aeTitle: 'ORTHANC_H1',
      dicomModalities: {
        caunoi: ['CAUNOI_H1', '127.0.0.1', port],
        elsewhere: ['NOBODY_HERE', '127.0.0.1', port],
      },
    });
    study = makeStudy({ root: '1.2.826.0.1.3680043.10.9201', patientId: 'PID-INBOX' });
    ids = await storeStudies(orthanc, study);
    const c = await submittedConsultation(t);
    consultationId = c.id;
    facilityId = c.requestingFacilityId;
  });
  afterAll(async () => {
    await t?.close();
    await orthanc?.stop();
  });

  it('an admin gives the facility an AE title; only the named sender gets in', async () => {
    await t
      .http()
      .put(`/api/facilities/${facilityId}/dicom-inbox`)
      .set(d1())
      .send({ aeTitle: 'CAUNOI_H1' })
      .expect(403);
    const bad = await t
      .http()
      .put(`/api/facilities/${facilityId}/dicom-inbox`)
      .set(admin())
      .send({ aeTitle: 'far too long for an AE title' })
      .expect(400);
    expect(bad.body.details[0].path).toBe('aeTitle');
    const res = await t
      .http()
      .put(`/api/facilities/${facilityId}/dicom-inbox`)
      .set(admin())
      .send({ aeTitle: 'caunoi_h1', callingAeTitles: ['ORTHANC_H1'] })
      .expect(200);
    expect(res.body).toMatchObject({ aeTitle: 'CAUNOI_H1', callingAeTitles: ['ORTHANC_H1'] });
    expect(res.body.port).toEqual(expect.any(Number));
    // Another facility cannot take the same AE title.
    const clash = await t
      .http()
      .put(`/api/facilities/${t.facilityIds['BV-TW-A']}/dicom-inbox`)
      .set(admin())
      .send({ aeTitle: 'CAUNOI_H1' })
      .expect(400);
    expect(clash.body.details[0].path).toBe('aeTitle');
    // An association to an AE title nobody has is refused: nothing arrives.
    expect((await send('elsewhere')).ok).toBe(false);
    const empty = await t
      .http()
      .get(`/api/facilities/${facilityId}/dicom-inbox/studies`)
      .set(d1())
      .expect(200);
    expect(empty.body.items).toEqual([]);
  });

  it('Orthanc pushes a study; the requester lists it and attaches it with the data sets as sent', async () => {
    const pushed = await send('caunoi');
    expect(pushed.ok).toBe(true);
    const listed = await t
      .http()
      .get(`/api/facilities/${facilityId}/dicom-inbox/studies`)
      .set(d1())
      .expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({
      studyUid: study.studyInstanceUid,
      patientId: 'PID-INBOX',
      patientName: 'NGUYEN^VAN^A',
      studyDate: '2026-11-20',
      instanceCount: 4,
    });
    expect([...listed.body.items[0].modalities].sort()).toEqual(['CT', 'OT']);
    await t
      .http()
      .get(`/api/facilities/${facilityId}/dicom-inbox/studies`)
      .set(bearer(t.tokens['specialist1@central-a.demo']))
      .expect(403);

    const first = await attach().expect(200);
    expect(first.body).toMatchObject({ stored: 4, skipped: 0 });
    const files = (
      await t.http().get(`/api/consultations/${consultationId}/attachments`).set(d1()).expect(200)
    ).body.items as { id: string; kind: string; metadata: Record<string, unknown> }[];
    expect(files).toHaveLength(4);
    expect(files.every((f) => f.kind === 'dicom')).toBe(true);
    const originals = study.series.flatMap((s) => s.files.map((f) => dataSet(f.bytes)));
    for (const f of files) {
      const body = (
        await t
          .http()
          .get(`/api/attachments/${f.id}/content`)
          .set(d1())
          .buffer(true)
          .parse(binaryParser)
          .expect(200)
      ).body as Buffer;
      expect(originals.some((o) => Buffer.compare(o, dataSet(body)) === 0)).toBe(true);
    }
    const again = await attach().expect(200);
    expect(again.body).toMatchObject({ stored: 0, skipped: 4 });
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'dicom_inbox.receive'`,
    );
    expect(n).toBe(4);
  });

  it('a PACS import of the same study into the request finds every instance already there', async () => {
    await t
      .http()
      .put(`/api/facilities/${facilityId}/pacs`)
      .set(admin())
      .send({ baseUrl: orthanc.dicomWebRoot, authKind: 'none' })
      .expect(200);
    const started = await t
      .http()
      .post(`/api/consultations/${consultationId}/pacs-imports`)
      .set(d1())
      .send({ studyUid: study.studyInstanceUid })
      .expect(202);
    expect(started.body).toMatchObject({ instancesTotal: 4, instancesSkipped: 4 });
  });

  it('a full inbox refuses what would go past its limit; what it holds stays', async () => {
    const config = t.app.get<AppConfig>(APP_CONFIG);
    const [{ bytes }] = await t.sql<{ bytes: string }>(
      `SELECT sum(size_bytes)::text AS bytes FROM dicom_inbox_instances WHERE facility_id = $1`,
      [facilityId],
    );
    const limit = config.DICOM_INBOX_MAX_BYTES;
    config.DICOM_INBOX_MAX_BYTES = Number(bytes); // full: any instance more goes past it
    try {
      expect((await send('caunoi')).ok).toBe(false);
    } finally {
      config.DICOM_INBOX_MAX_BYTES = limit;
    }
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM dicom_inbox_instances WHERE facility_id = $1`,
      [facilityId],
    );
    expect(n).toBe(4);
  });
});
