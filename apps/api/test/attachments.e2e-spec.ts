import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { submittedConsultation } from './support/fixtures';
import {
  chestXrayDicom,
  deflatedDicom,
  labReportPdf,
  labResultsJson,
  tinyJpeg,
  tinyPng,
  windowsExecutable,
} from './support/files';
import { bearer, binaryParser, startTestApp, TestApp } from './support/test-app';

const MAX = 64 * 1024;

describe('attachments', () => {
  let t: TestApp;
  let consultationId: string;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const upload = (buf: Buffer, name: string, contentType?: string) =>
    t
      .http()
      .post(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .attach('file', buf, contentType ? { filename: name, contentType } : name);

  beforeAll(async () => {
    t = await startTestApp({
      MAX_ATTACHMENT_BYTES: String(MAX),
      MAX_DICOM_INFLATED_BYTES: String(8 * 1024 * 1024),
    });
    consultationId = (await submittedConsultation(t)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores a DICOM chest X-ray by sha256 and extracts the tags worth showing', async () => {
    const bytes = chestXrayDicom();
    const res = await upload(bytes, 'phim-phoi.dcm').expect(201);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(res.body).toMatchObject({
      kind: 'dicom',
      mediaType: 'application/dicom',
      sha256: sha,
      sizeBytes: bytes.length,
      fileName: 'phim-phoi.dcm',
      metadata: { modality: 'CR', bodyPart: 'CHEST', studyDate: '2026-11-20', rows: 4, columns: 4 },
    });
    expect(existsSync(path.join(t.attachmentsDir, sha.slice(0, 2), sha))).toBe(true);
  });

  it.each([
    ['xet-nghiem.pdf', 'pdf', 'application/pdf'],
    ['anh.png', 'png', 'image/png'],
    ['anh.jpg', 'jpeg', 'image/jpeg'],
    ['ket-qua.json', 'lab_results', 'application/json'],
  ])('accepts %s as %s', async (name, kind, mediaType) => {
    const bytes =
      kind === 'pdf'
        ? await labReportPdf()
        : kind === 'png'
          ? tinyPng()
          : kind === 'jpeg'
            ? tinyJpeg()
            : labResultsJson();
    const res = await upload(bytes, name).expect(201);
    expect(res.body).toMatchObject({ kind, mediaType });
  });

  it('refuses an executable named .dcm with 415 and keeps nothing', async () => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM attachments`);
    const res = await upload(windowsExecutable(), 'phim-phoi.dcm', 'application/dicom').expect(415);
    expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    const after = await t.sql(`SELECT count(*)::int AS n FROM attachments`);
    expect(after).toEqual(before);
  });

  it('refuses a DICOM decompression bomb with 413 naming the file and keeps serving', async () => {
    const bomb = deflatedDicom(48 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(MAX);
    const before = await t.sql(`SELECT count(*)::int AS n FROM attachments`);
    const res = await upload(bomb, 'ct.dcm').expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, details: [{ path: 'file' }] });
    expect(await t.sql(`SELECT count(*)::int AS n FROM attachments`)).toEqual(before);
    // A deflated file within the cap is accepted with its tags.
    const ok = await upload(deflatedDicom(1024 * 1024), 'ct-ok.dcm').expect(201);
    expect(ok.body.metadata).toMatchObject({ modality: 'CT', rows: 512 });
    await t.http().get('/health').expect(200);
  });

  it('refuses a mismatch between name and content with 415', async () => {
    const res = await upload(tinyPng(), 'xet-nghiem.pdf').expect(415);
    expect(res.body.message).toContain('file name says pdf but the content is png');
  });

  it('refuses a JSON-looking file that is not JSON with 415', async () => {
    await upload(Buffer.from('{ not json at all'), 'ket-qua.json').expect(415);
  });

  it('refuses a file over the size limit with 413', async () => {
    const big = Buffer.concat([await labReportPdf(), Buffer.alloc(MAX + 10, 0x20)]);
    const res = await upload(big, 'lon.pdf').expect(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('a body without the file field is 400 naming file', async () => {
    const res = await t
      .http()
      .post(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .field('note', 'x')
      .expect(400);
    expect(res.body.details[0].path).toBe('file');
  });

  it('lists attachments and streams content with Range support, auditing each download', async () => {
    const bytes = chestXrayDicom();
    const created = await upload(bytes, 'xq.dcm').expect(201);
    const list = await t
      .http()
      .get(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(created.body.id);

    const coord = bearer(t.tokens['coordinator@central-a.demo']);
    const full = await t
      .http()
      .get(`/api/attachments/${created.body.id}/content`)
      .set(coord)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(full.headers['content-type']).toBe('application/dicom');
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(Buffer.compare(full.body as Buffer, bytes)).toBe(0);

    const part = await t
      .http()
      .get(`/api/attachments/${created.body.id}/content`)
      .set(coord)
      .set('Range', 'bytes=128-131')
      .buffer(true)
      .parse(binaryParser)
      .expect(206);
    expect(part.headers['content-range']).toBe(`bytes 128-131/${bytes.length}`);
    expect((part.body as Buffer).toString('latin1')).toBe('DICM');

    await t
      .http()
      .get(`/api/attachments/${created.body.id}/content`)
      .set(coord)
      .set('Range', `bytes=${bytes.length + 10}-`)
      .expect(416);

    const audit = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'attachment.download' AND target_id = $1 AND actor_id = $2`,
      [created.body.id, t.userIds['coordinator@central-a.demo']],
    );
    expect(audit[0].n).toBeGreaterThanOrEqual(2);
  });

  it('downloads are 404 for someone outside the consultation', async () => {
    const created = await upload(tinyPng(), 'anh2.png').expect(201);
    await t
      .http()
      .get(`/api/attachments/${created.body.id}/content`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
    await t
      .http()
      .get(`/api/attachments/${created.body.id}/content`)
      .set(bearer(t.tokens['requester@commune-1.demo']))
      .expect(404);
  });
});
