import { readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { submittedConsultation } from './support/fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

/**
 * Multipart bodies that end early, lie about their boundary or carry the wrong number of files
 * are answered 400 naming `file`; nothing is kept and the API keeps serving.
 */
describe('attachment uploads that go wrong', () => {
  let t: TestApp;
  let consultationId: string;
  let port: number;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp({ MAX_ATTACHMENT_BYTES: String(64 * 1024) });
    consultationId = (await submittedConsultation(t)).id;
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    token = t.tokens['requester@district-1.demo'];
  });
  afterAll(async () => {
    await t?.close();
  });

  const part = (name: string, filename: string, body: string) =>
    `------x\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
    `Content-Type: application/pdf\r\n\r\n${body}\r\n`;

  /** Sends raw bytes and reads the raw answer (supertest would fix up a broken body). */
  function raw(body: string, opts: { boundary?: string; cutAfterBody?: boolean } = {}) {
    return new Promise<{ status: number; headers: string; json: unknown } | 'cut'>(
      (resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let answer = '';
        socket.on('data', (d) => (answer += d.toString('latin1')));
        socket.on('error', reject);
        socket.on('close', () => {
          if (!answer) return resolve('cut');
          const [head, ...rest] = answer.split('\r\n\r\n');
          const status = Number(head.split(' ')[1]);
          let json: unknown = null;
          try {
            json = JSON.parse(rest.join('\r\n\r\n'));
          } catch {
            json = rest.join('\r\n\r\n');
          }
          resolve({ status, headers: head, json });
        });
        const bytes = Buffer.from(body, 'latin1');
        // A cut connection announces more than it sends, then closes its side.
        const length = opts.cutAfterBody ? bytes.length + 100_000 : bytes.length;
        socket.write(
          `POST /api/consultations/${consultationId}/attachments HTTP/1.1\r\n` +
            `Host: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n` +
            `Content-Type: multipart/form-data; boundary=${opts.boundary ?? '----x'}\r\n` +
            `Content-Length: ${length}\r\n\r\n`,
        );
        socket.write(bytes);
        if (opts.cutAfterBody) setTimeout(() => socket.destroy(), 200);
      },
    );
  }

  const receipts = () => {
    try {
      return readdirSync(path.join(t.attachmentsDir, 'tmp'));
    } catch {
      return [];
    }
  };
  const stillServing = async () => {
    await t.http().get('/health').expect(200);
    const list = await t
      .http()
      .get(`/api/consultations/${consultationId}/attachments`)
      .set(bearer(token))
      .expect(200);
    return list.body;
  };

  const pdf = '%PDF-1.4 trunc';
  it.each([
    ['the body ends before the closing boundary', part('file', 'a.pdf', pdf).slice(0, -2)],
    ['the body ends inside the part headers', '------x\r\nContent-Disposition: form-da'],
    ['the body has a different boundary', part('file', 'a.pdf', pdf).replaceAll('----x', '--y')],
    ['the body has no file part', '------x--\r\n'],
    ['the body is not multipart at all', 'hello'],
    [
      'the body carries two files',
      part('file', 'a.pdf', '%PDF-1.4 one') +
        part('file', 'b.pdf', '%PDF-1.4 two') +
        '------x--\r\n',
    ],
  ])('%s → 400 naming file, nothing kept, still serving', async (_what, body) => {
    const before = await stillServing();
    const res = await raw(body);
    expect(res).not.toBe('cut');
    const answer = res as { status: number; headers: string; json: unknown };
    expect(answer.status).toBe(400);
    expect(answer.headers).toMatch(/content-type: application\/json/i);
    expect(answer.json).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      details: [expect.objectContaining({ path: 'file' })],
    });
    expect(await stillServing()).toEqual(before);
    expect(receipts()).toEqual([]);
  });

  it('exactly the request from the field report: a body that stops mid-file', async () => {
    const res = await raw(
      '------x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n' +
        'Content-Type: application/pdf\r\n\r\n%PDF-1.4 trunc',
    );
    expect(res).toMatchObject({ status: 400, json: { details: [{ path: 'file' }] } });
    await stillServing();
  });

  it('a connection cut in the middle of the file leaves no partial file and the API up', async () => {
    const before = await stillServing();
    const big = '%PDF-1.4\n' + 'x'.repeat(40_000);
    const res = await raw(part('file', 'a.pdf', big).slice(0, 20_000), { cutAfterBody: true });
    expect(res).toBe('cut');
    // The server notices the cut asynchronously; the receipt must be gone once it has.
    for (let i = 0; i < 50 && receipts().length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(receipts()).toEqual([]);
    expect(await stillServing()).toEqual(before);
  });

  it('a well-formed upload still works after all of that', async () => {
    const body = part('file', 'ok.pdf', '%PDF-1.4\n%%EOF') + '------x--\r\n';
    const res = await raw(body);
    expect(res).toMatchObject({ status: 201, json: { kind: 'pdf', fileName: 'ok.pdf' } });
  });
});
