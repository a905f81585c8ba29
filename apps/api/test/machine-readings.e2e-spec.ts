import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeDicom } from '@caunoi/test-support';
import {
  COLLAB_CLIENT_EVENTS,
  COLLAB_SERVER_EVENTS,
  MachineReadingSchema,
  type MachineReading,
  type MachineReviewedEvent,
} from '@caunoi/shared';
import { MachineReadingJob } from '../src/machine-readings/machine-reading.job';
import { MachineReadingsRepository } from '../src/machine-readings/machine-readings.repository';
import { fhirSchemaErrors } from './support/fhir';
import { scheduleSession, submittedConsultation } from './support/fixtures';
import { collabClient, next, request } from './collaboration-client';
import { bearer, startTestApp, TestApp } from './support/test-app';

const READER = path.resolve(__dirname, '../../../tools/reference-reader/server.mjs');
const READER_TOKEN = `reader-${randomBytes(12).toString('hex')}`;

/** The reference reader as a real process on a free port; resolves its base URL. */
function startReader(): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [READER], {
      env: { ...process.env, READER_PORT: '0', READER_TOKEN, READER_RECORD: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`reference reader exited (${code})`)));
    proc.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve({ proc, url: m[1] });
    });
  });
}

/** A reader that answers badly: `/invalid` a report without status, `/huge` 2 MB, `/refuse` 400. */
function startBadReader(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end(`{"resourceType":"DiagnosticReport","conclusion":"${'x'.repeat(2_000_000)}"}`);
      } else if (req.url === '/refuse') {
        res.writeHead(400, { 'content-type': 'application/fhir+json' });
        res.end('{}');
      } else {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify({ resourceType: 'DiagnosticReport', code: { text: 'x' } }));
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

// The AI pre-read hook end to end: an admin registers a facility's reader, a chest X-ray attached
// to one of its consultations goes (de-identified, in the background) to the reference reader
// running as its own process, and its FHIR answer comes back as findings participants can read
// and review; failures are readings with a reason.
describe('machine pre-reads', () => {
  let t: TestApp;
  let reader: { proc: ChildProcess; url: string };
  let bad: { server: http.Server; url: string };
  let consultationId: string;
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const district = () => t.facilityIds['TTYT-H1'];

  const setReader = (body: Record<string, unknown>) =>
    t.http().put(`/api/facilities/${district()}/machine-reader`).set(admin()).send(body);

  async function upload(file: Buffer, name = 'xq.dcm'): Promise<string> {
    const res = await t
      .http()
      .post(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .attach('file', file, name)
      .expect(201);
    return res.body.id as string;
  }

  /** Polls the readings of an image until one is no longer pending. */
  async function settled(attachmentId: string): Promise<MachineReading> {
    for (let i = 0; i < 300; i++) {
      const res = await t
        .http()
        .get(`/api/attachments/${attachmentId}/machine-readings`)
        .set(d1())
        .expect(200);
      const r = res.body.items[0] as MachineReading | undefined;
      if (r && r.status !== 'pending') return MachineReadingSchema.parse(r);
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error('the reading did not settle');
  }

  beforeAll(async () => {
    reader = await startReader();
    bad = await startBadReader();
    t = await startTestApp({
      STORAGE_KEY: randomBytes(32).toString('hex'),
      MACHINE_READING_SWEEP_MS: '100',
      MACHINE_READER_RETRY_SECONDS: '1',
      MACHINE_READER_MAX_ATTEMPTS: '3',
      MACHINE_READER_TIMEOUT_SECONDS: '5',
      MACHINE_READER_MAX_ANSWER_BYTES: String(256 * 1024),
    });
    consultationId = (await submittedConsultation(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    reader?.proc.removeAllListeners('exit');
    reader?.proc.kill();
    bad?.server.close();
  });

  it('an admin registers a reader; the token is stored sealed and never echoed; bad input names the field', async () => {
    const bad1 = await setReader({ url: 'ftp://x', token: 'abc' }).expect(400);
    expect(JSON.stringify(bad1.body.details)).toContain('url');
    const bad2 = await setReader({ url: `${reader.url}/read`, modalities: [] }).expect(400);
    expect(JSON.stringify(bad2.body.details)).toContain('modalities');
    await t
      .http()
      .put(`/api/facilities/${district()}/machine-reader`)
      .set(d1())
      .send({ url: `${reader.url}/read` })
      .expect(403);

    const saved = await setReader({ url: `${reader.url}/read`, token: READER_TOKEN }).expect(200);
    expect(saved.body).toMatchObject({
      facilityId: district(),
      hasToken: true,
      modalities: ['CR', 'DX', 'DR'],
      bodyParts: ['CHEST'],
    });
    expect(JSON.stringify(saved.body)).not.toContain(READER_TOKEN);
    const got = await t
      .http()
      .get(`/api/facilities/${district()}/machine-reader`)
      .set(admin())
      .expect(200);
    expect(JSON.stringify(got.body)).not.toContain(READER_TOKEN);
    const [row] = await t.sql<{ token_sealed: string }>(
      `SELECT token_sealed FROM machine_readers WHERE facility_id = $1`,
      [district()],
    );
    expect(row.token_sealed).toMatch(/^v1\./);
    expect(row.token_sealed).not.toContain(READER_TOKEN);
    const audit = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'machine_reader.save' AND target_id = $1`,
      [district()],
    );
    expect(audit).toHaveLength(1);
  });

  it('a chest X-ray is read: two lung fields where they are, and nothing identifying leaves', async () => {
    const file = makeDicom({
      rows: 256,
      columns: 200,
      patientName: 'TRAN^THI^BI^MAT',
      patientId: 'PID-998877',
      pixelSpacing: [0.2, 0.25],
    });
    const id = await upload(file);
    const reading = await settled(id);
    expect(reading).toMatchObject({ status: 'completed', attempts: 1, failureReason: null });
    expect(reading.image).toEqual({ columns: 200, rows: 256 });
    expect(reading.findings).toHaveLength(2);
    // The synthetic lungs: centres at x = (0.5 ∓ 0.17)·columns, y = rows / 2; half-width
    // √0.02·columns, half-height √0.08·rows.
    const [right, left] = reading.findings;
    expect(right.label).toBe('Lung field (right)');
    expect(left.label).toBe('Lung field (left)');
    for (const [f, cx] of [
      [right, 0.33 * 200],
      [left, 0.67 * 200],
    ] as const) {
      expect(f.region.shape).toBe('box');
      const [[x0, y0], [x1, y1]] = f.region.points as [[number, number], [number, number]];
      expect(Math.abs((x0 + x1) / 2 - cx)).toBeLessThan(6);
      expect(Math.abs((y0 + y1) / 2 - 128)).toBeLessThan(6);
      expect(Math.abs(x1 - x0 - 2 * Math.sqrt(0.02) * 200)).toBeLessThan(8);
      expect(Math.abs(y1 - y0 - 2 * Math.sqrt(0.08) * 256)).toBeLessThan(8);
      expect(f.confidence).toBeGreaterThan(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
      expect(f.review).toBeNull();
    }

    const received = (await (await fetch(`${reader.url}/received`)).json()) as {
      bytes: number;
      contentType: string;
      authorised: boolean;
      patientName: string | null;
      patientId: string | null;
      requestId: string;
      rawText: string;
    }[];
    const sent = received.at(-1)!;
    expect(sent).toMatchObject({
      contentType: 'application/dicom',
      authorised: true,
      patientName: null,
      patientId: null,
      requestId: reading.id,
    });
    for (const secret of [
      'TRAN',
      'BI^MAT',
      'PID-998877',
      '19600229',
      'CHEST PA',
      '1.2.826.0.1.3680043.10.1234',
    ])
      expect(sent.rawText).not.toContain(secret);
    expect(sent.rawText).toContain('0.2\\0.25'); // the pixel spacing does go: mm need it

    const sends = await t.sql<{ actor_id: string | null; patient_id: string }>(
      `SELECT actor_id, patient_id FROM audit_events WHERE action = 'attachment.machine_reading.send' AND target_id = $1`,
      [id],
    );
    expect(sends).toHaveLength(1);
    expect(sends[0].actor_id).toBeNull();
    expect(sends[0].patient_id).toBeTruthy();
    const reads = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'attachment.machine_readings.read' AND target_id = $1 AND actor_id = $2`,
      [id, t.userIds['requester@district-1.demo']],
    );
    expect(reads.length).toBeGreaterThan(0);
  });

  it('outsiders get 404 (audited); a clinician confirms and rejects findings, seen by all', async () => {
    const id = (
      await t.sql<{ attachment_id: string }>(
        `SELECT attachment_id FROM machine_readings WHERE status = 'completed' LIMIT 1`,
      )
    )[0].attachment_id;
    const outsider = bearer(t.tokens['coordinator@central-b.demo']);
    await t.http().get(`/api/attachments/${id}/machine-readings`).set(outsider).expect(404);
    const refused = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'access.refused' AND actor_id = $1`,
      [t.userIds['coordinator@central-b.demo']],
    );
    expect(refused.length).toBeGreaterThan(0);

    const { body } = await t
      .http()
      .get(`/api/attachments/${id}/machine-readings`)
      .set(d1())
      .expect(200);
    const [a, b] = (body.items[0] as MachineReading).findings;
    // Someone in a session covering the case hears about each review at once.
    const sessionId = await scheduleSession(t, consultationId, [
      t.userIds['coordinator@central-a.demo'],
    ]);
    const watcher = await collabClient(t.app, t.tokens['coordinator@central-a.demo']);
    expect(await request(watcher, COLLAB_CLIENT_EVENTS.enter, { sessionId })).toMatchObject({
      ok: true,
    });
    const heard = next<MachineReviewedEvent>(
      watcher,
      COLLAB_SERVER_EVENTS.machineReviewed,
      (e) => e.findingId === a.id,
    );
    await t
      .http()
      .put(`/api/machine-findings/${a.id}/review`)
      .set(d1())
      .send({ decision: 'maybe' })
      .expect(400)
      .expect((r) => expect(JSON.stringify(r.body.details)).toContain('decision'));
    await t
      .http()
      .put(`/api/machine-findings/${a.id}/review`)
      .set(bearer(t.tokens['specialist2@central-a.demo']))
      .send({ decision: 'confirmed' })
      .expect(404); // not assigned, not invited: the case is not theirs
    await t
      .http()
      .put(`/api/machine-findings/${a.id}/review`)
      .set(d1())
      .send({ decision: 'confirmed' })
      .expect(200);
    expect(await heard).toEqual({ attachmentId: id, findingId: a.id });
    watcher.disconnect();
    await t
      .http()
      .put(`/api/machine-findings/${b.id}/review`)
      .set(d1())
      .send({ decision: 'rejected' })
      .expect(200);
    // Another participant (the target's coordinator) sees both decisions and who made them.
    const seen = await t
      .http()
      .get(`/api/attachments/${id}/machine-readings`)
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .expect(200);
    const findings = (seen.body.items[0] as MachineReading).findings;
    expect(findings.map((f) => f.review?.decision)).toEqual(['confirmed', 'rejected']);
    expect(findings[0].review?.by.id).toBe(t.userIds['requester@district-1.demo']);
    const reviews = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'machine_finding.review' AND patient_id IS NOT NULL`,
    );
    expect(reviews).toHaveLength(2);
  });

  it("the patient's record export carries the machine suggestions as preliminary FHIR, with the clinicians' reviews", async () => {
    const [{ patient_id: patientId, attachment_id: imageId }] = await t.sql<{
      patient_id: string;
      attachment_id: string;
    }>(
      `SELECT c.patient_id, m.attachment_id FROM machine_readings m
         JOIN attachments a ON a.id = m.attachment_id JOIN consultations c ON c.id = a.consultation_id
        WHERE m.status = 'completed' AND EXISTS (SELECT 1 FROM machine_findings x WHERE x.reading_id = m.id AND x.decision IS NOT NULL)
        LIMIT 1`,
    );
    const res = await t.http().get(`/api/patients/${patientId}/export`).set(d1()).expect(200);
    expect(fhirSchemaErrors(res.body)).toEqual([]);
    type R = { resourceType: string; id: string } & Record<string, unknown>;
    const resources = (res.body.entry as { resource: R }[]).map((e) => e.resource);
    const report = resources.find((r) => r.resourceType === 'DiagnosticReport')!;
    expect(report).toMatchObject({
      status: 'preliminary',
      performer: [{ display: expect.any(String) }],
    });
    const results = (report.result as { reference: string }[]).map((x) => x.reference);
    expect(results).toHaveLength(2);
    const observations = resources.filter((r) => results.includes(`urn:uuid:${r.id}`));
    expect(observations.map((o) => o.status)).toEqual(['preliminary', 'preliminary']);
    // Each finding points at the image it was read from, exported alongside as a DocumentReference.
    for (const o of observations)
      expect(o.derivedFrom).toEqual([{ reference: `urn:uuid:${imageId}` }]);
    expect(resources.some((r) => r.resourceType === 'DocumentReference' && r.id === imageId)).toBe(
      true,
    );
    expect(observations.map((o) => (o.note as { text: string }[])[0].text)).toEqual([
      'Bác sĩ xác nhận',
      'Bác sĩ bác bỏ',
    ]);
  });

  it('an image the reader does not read (a CT, a hand) gets no reading', async () => {
    const ct = await upload(makeDicom({ modality: 'CT', sopInstanceUid: '1.2.3.4.5.6' }), 'ct.dcm');
    const hand = await upload(
      makeDicom({ description: 'HAND PA', sopInstanceUid: '1.2.3.4.5.7' }),
      'hand.dcm',
    );
    for (let i = 0; i < 100; i++) {
      const rows = await t.sql(`SELECT 1 FROM machine_readings WHERE attachment_id = ANY($1)`, [
        [ct, hand],
      ]);
      if (rows.length === 2) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    const rows = await t.sql<{ status: string }>(
      `SELECT status FROM machine_readings WHERE attachment_id = ANY($1)`,
      [[ct, hand]],
    );
    expect(rows.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    for (const id of [ct, hand]) {
      const res = await t
        .http()
        .get(`/api/attachments/${id}/machine-readings`)
        .set(d1())
        .expect(200);
      expect(res.body.items).toEqual([]);
    }
  });

  it('a reader that is down is retried with backoff, then the reading fails with the reason', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    await setReader({ url: `http://127.0.0.1:${closed}/read` }).expect(200); // token kept
    const id = await upload(makeDicom({ sopInstanceUid: '1.2.3.4.5.8' }));
    const reading = await settled(id);
    expect(reading.status).toBe('failed');
    expect(reading.attempts).toBe(3);
    expect(reading.failureReason).toMatch(/cannot be reached.*gave up after 3 attempts/);
    const sends = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'attachment.machine_reading.send' AND target_id = $1`,
      [id],
    );
    expect(sends).toHaveLength(3);
  });

  it('an invalid, oversized or refusing answer fails the reading at once with the reason', async () => {
    const cases: [string, RegExp][] = [
      ['/invalid', /not a valid DiagnosticReport: status/],
      ['/huge', /larger than 256 KiB/],
      ['/refuse', /refused the image \(HTTP 400\)/],
    ];
    for (const [i, [route, reason]] of cases.entries()) {
      await setReader({ url: `${bad.url}${route}` }).expect(200);
      const id = await upload(makeDicom({ sopInstanceUid: `1.2.3.4.6.${i}` }));
      const reading = await settled(id);
      expect(reading).toMatchObject({ status: 'failed', attempts: 1, findings: [] });
      expect(reading.failureReason).toMatch(reason);
    }
    // The API is still fine.
    await t.http().get(`/api/consultations/${consultationId}`).set(d1()).expect(200);
  });
});

// Durability: the machine_readings rows are the queue. With the job stopped (as while the API is
// down) an upload still gets its reading once a job runs; a reading taken by an instance that
// died mid-attempt is sent again once its lease has run out, never while it holds.
describe('machine pre-reads survive a restart', () => {
  let t: TestApp;
  let reader: { proc: ChildProcess; url: string };
  let job: MachineReadingJob;
  let repo: MachineReadingsRepository;
  let consultationId: string;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const statusOf = async (attachmentId: string) =>
    (
      await t.sql<{ status: string; attempts: number }>(
        `SELECT status, attempts FROM machine_readings WHERE attachment_id = $1`,
        [attachmentId],
      )
    )[0];

  beforeAll(async () => {
    reader = await startReader();
    // The test drives the job itself.
    t = await startTestApp({
      MACHINE_READING_SWEEP_MS: '0',
      STORAGE_KEY: randomBytes(32).toString('hex'),
    });
    job = t.app.get(MachineReadingJob);
    repo = t.app.get(MachineReadingsRepository);
    consultationId = (await submittedConsultation(t)).id;
    await t
      .http()
      .put(`/api/facilities/${t.facilityIds['TTYT-H1']}/machine-reader`)
      .set(bearer(t.tokens['admin@caunoi.demo']))
      .send({ url: `${reader.url}/read`, token: READER_TOKEN })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    reader?.proc.removeAllListeners('exit');
    reader?.proc.kill();
  });

  const upload = async (uid: string) =>
    (
      await t
        .http()
        .post(`/api/consultations/${consultationId}/attachments`)
        .set(d1())
        .attach('file', makeDicom({ sopInstanceUid: uid }), 'xq.dcm')
        .expect(201)
    ).body.id as string;

  it('an image uploaded while no job runs is read when one does', async () => {
    const id = await upload('1.2.3.9.1');
    expect(await statusOf(id)).toBeUndefined();
    await job.round();
    expect(await statusOf(id)).toEqual({ status: 'completed', attempts: 1 });
  });

  it('a reading held by a dead instance waits for its lease, then is sent again', async () => {
    const id = await upload('1.2.3.9.2');
    await job.round(); // enqueues and sends it …
    await t.sql(
      `UPDATE machine_readings SET status = 'pending', attempts = 0, completed_at = NULL WHERE attachment_id = $1`,
      [id],
    );
    await t.sql(
      `DELETE FROM machine_findings WHERE reading_id IN
      (SELECT id FROM machine_readings WHERE attachment_id = $1)`,
      [id],
    );
    // … another instance takes it and dies before answering.
    const taken = await repo.claimDue(3600_000, 10);
    expect(taken.map((r) => r.attachmentId)).toEqual([id]);
    await job.round();
    expect(await statusOf(id)).toEqual({ status: 'pending', attempts: 1 });
    await t.sql(
      `UPDATE machine_readings SET lease_until = now() - interval '1 second' WHERE attachment_id = $1`,
      [id],
    );
    await job.round();
    expect(await statusOf(id)).toEqual({ status: 'completed', attempts: 2 });
  });
});
