import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { submittedConsultation } from './support/fixtures';
import { chestXrayDicom, labReportPdf } from './support/files';
import { bearer, binaryParser, startTestApp, TestApp } from './support/test-app';

// Attachments encrypted at rest (STORAGE_KEY, AES-256-GCM frames): what lies on disk is not the
// file, downloads and Range requests (also across frame boundaries) return the original, and a
// file stored in clear before the key was set is still served.
describe('attachments encrypted at rest', () => {
  let t: TestApp;
  let consultationId: string;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const get = (id: string, range?: string) => {
    const req = t.http().get(`/api/attachments/${id}/content`).set(d1());
    if (range) req.set('Range', range);
    return req.buffer(true).parse(binaryParser);
  };
  const onDisk = (sha: string) => readFileSync(path.join(t.attachmentsDir, sha.slice(0, 2), sha));

  beforeAll(async () => {
    t = await startTestApp({ STORAGE_KEY: randomBytes(32).toString('hex') });
    consultationId = (await submittedConsultation(t)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a PDF and a DICOM are not on disk in clear; downloads and ranges are the original', async () => {
    // A PDF larger than one 64 KiB frame, so ranges cross frame boundaries.
    const pdf = Buffer.concat([labReportPdf(), Buffer.alloc(150_000, 0x20)]);
    for (const [bytes, name, magic, at] of [
      [pdf, 'xn.pdf', '%PDF', 0],
      [chestXrayDicom(), 'xq.dcm', 'DICM', 128],
    ] as const) {
      const created = await t
        .http()
        .post(`/api/consultations/${consultationId}/attachments`)
        .set(d1())
        .attach('file', bytes, name)
        .expect(201);
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(created.body.sha256).toBe(sha); // content addressing stays on the plaintext
      const disk = onDisk(sha);
      expect(disk.subarray(at, at + 4).toString('latin1')).not.toBe(magic);
      expect(disk.includes(Buffer.from(magic, 'latin1'))).toBe(false);
      const full = await get(created.body.id).expect(200);
      expect(Buffer.compare(full.body as Buffer, bytes)).toBe(0);
      for (const [a, b] of [
        [at, at + 3],
        [65_530, 65_545],
        [0, bytes.length - 1],
      ].filter(([, b]) => b < bytes.length)) {
        const part = await get(created.body.id, `bytes=${a}-${b}`).expect(206);
        expect(part.headers['content-range']).toBe(`bytes ${a}-${b}/${bytes.length}`);
        expect(Buffer.compare(part.body as Buffer, bytes.subarray(a, b + 1))).toBe(0);
      }
      const tail = await get(created.body.id, 'bytes=-10').expect(206);
      expect(Buffer.compare(tail.body as Buffer, bytes.subarray(bytes.length - 10))).toBe(0);
      await get(created.body.id, `bytes=${bytes.length}-`).expect(416);
    }
  });

  it('serves a file stored in clear before the key was set (migration: both are read)', async () => {
    const bytes = labReportPdf();
    const created = await t
      .http()
      .post(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .attach('file', bytes, 'cu.pdf')
      .expect(201);
    const sha = created.body.sha256 as string;
    mkdirSync(path.join(t.attachmentsDir, sha.slice(0, 2)), { recursive: true });
    writeFileSync(path.join(t.attachmentsDir, sha.slice(0, 2), sha), bytes); // as an old store had it
    const full = await get(created.body.id).expect(200);
    expect(Buffer.compare(full.body as Buffer, bytes)).toBe(0);
    const part = await get(created.body.id, 'bytes=0-3').expect(206);
    expect((part.body as Buffer).toString('latin1')).toBe('%PDF');
  });
});
