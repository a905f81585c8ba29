import { submittedConsultation } from './support/fixtures';
import { chestXrayDicom, labReportPdf, tinyPng } from './support/files';
import { bearer, startTestApp, TestApp } from './support/test-app';

describe('attachments: quotas and the lab-results size cap', () => {
  let t: TestApp;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const upload = (consultationId: string, buf: Buffer, name: string) =>
    t
      .http()
      .post(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .attach('file', buf, name);
  const count = async () =>
    (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM attachments`))[0].n;

  beforeAll(async () => {
    t = await startTestApp({
      MAX_ATTACHMENTS_PER_CONSULTATION: '2',
      MAX_CONSULTATION_ATTACHMENT_BYTES: String(64 * 1024),
      FACILITY_ATTACHMENT_QUOTA_BYTES: String(96 * 1024),
      MAX_LAB_RESULTS_BYTES: '2048',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a third file on one request with 413 naming file', async () => {
    const c = await submittedConsultation(t);
    await upload(c.id, tinyPng(), 'a.png').expect(201);
    await upload(c.id, chestXrayDicom(), 'b.dcm').expect(201);
    const before = await count();
    const res = await upload(c.id, await labReportPdf(), 'c.pdf').expect(413);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'file' })]);
    expect(res.body.message).toContain('2 files');
    expect(await count()).toBe(before);
  });

  it('refuses files past the per-request byte quota, then past the facility quota', async () => {
    const c1 = await submittedConsultation(t);
    const big = Buffer.concat([tinyPng(), Buffer.alloc(40 * 1024)]);
    await upload(c1.id, big, 'big1.png').expect(201);
    const perRequest = await upload(c1.id, big, 'big2.png').expect(413);
    expect(perRequest.body.message).toMatch(/one request/);
    // District 1 now holds > 40 KiB of the 96 KiB facility quota: a second request fills it.
    const c2 = await submittedConsultation(t);
    await upload(c2.id, big, 'big3.png').expect(201);
    const c3 = await submittedConsultation(t);
    const facility = await upload(c3.id, big, 'big4.png').expect(413);
    expect(facility.body.message).toMatch(/facility's attachment quota/);
    await t.http().get('/health').expect(200);
  });

  it('refuses lab results JSON above the cap before parsing it', async () => {
    const c = await submittedConsultation(t);
    const json = Buffer.from(JSON.stringify({ results: 'x'.repeat(4096) }));
    const res = await upload(c.id, json, 'ket-qua.json').expect(413);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'file' })]);
  });
});
