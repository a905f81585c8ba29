/**
 * Compressed DICOM in the real viewer, served by the real web server with its Content-Security-
 * Policy: a JPEG 2000 and a JPEG-LS file of the corpus (tools/dicom-corpus) render pixel for
 * pixel, their WebAssembly codecs fetched only when such a file opens — never by sign-in — and
 * run in the codec worker. The session's REST answers are stubbed in the browser (as room.e2e
 * does); the files are the corpus bytes, so the test needs no upload round trip.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { ORIGINALS, pixelsOf } from '../../../tools/dicom-corpus/originals.mjs';
import { writeSummary } from './support/summary.ts';
import { startStack, type Stack } from './support/stack.ts';
import { launch, person, Shots, signIn } from './support/browser.ts';
import { signedInUser, stubJoin } from './support/stub-room.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.join(here, '../src/viewer/dicom/corpus');
const shots = new Shots(path.join(here, '../test-results/screenshots-dicom-codecs'));
let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack({ logsDir: path.join(here, '../test-results/logs-dicom-codecs') });
  browser = await launch();
});
let passed = false;
after(async () => {
  await browser?.close();
  await stack?.stop();
  writeSummary('web-e2e-dicom-codecs', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
});

/** PS3.3 C.11.2.1.2, as the viewer renders greyscale (copied: the test states the expectation). */
function windowValue(value: number, center: number, width: number): number {
  const c = center - 0.5;
  const w = width - 1;
  if (value <= c - w / 2) return 0;
  if (value > c + w / 2) return 255;
  return Math.round(((value - c) / w + 0.5) * 255);
}

/** The RGBA the canvas must hold: mono8 under its full-range window, RGB as it is. */
function expectedRgba(name: 'mono8' | 'rgb'): number[] {
  const samples = [...pixelsOf(ORIGINALS[name])];
  if (name === 'rgb') return samples.flatMap((v, i) => (i % 3 === 2 ? [v, 255] : [v]));
  const [lo, hi] = [Math.min(...samples), Math.max(...samples)];
  return samples.flatMap((v) => {
    const g = windowValue(v, (lo + hi) / 2, hi - lo);
    return [g, g, g, 255];
  });
}

test('a JPEG 2000 and a JPEG-LS file render exactly in the viewer; codecs load on demand under the CSP', async () => {
  const { page } = await person(browser, stack.webUrl);
  try {
    await viewBoth(page);
  } catch (err) {
    await shots.take(page, 'FAILED').catch(() => undefined);
    throw err;
  }
  passed = true;
});

async function viewBoth(page: Page): Promise<void> {
  const fetched: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(
        `CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    ),
  );
  await signIn(page, 'specialist1@central-a.demo');
  const codec = /\.wasm$|openjpeg|charls|\/wasm-[\w-]+\.js$/;
  assert.deepEqual(
    fetched.filter((p) => codec.test(p)),
    [],
    'sign-in fetched no codec',
  );

  const [sessionId, consultationId] = [randomUUID(), randomUUID()];
  // A J2K stream whose SIZ claims 60 columns, the header 64: refused in the worker, before decoding.
  const lying = fs.readFileSync(path.join(corpus, 'mono8.j2k.dcm'));
  lying.writeUInt32BE(60, lying.indexOf(Buffer.from([0xff, 0x4f, 0xff, 0x51])) + 8);
  const bodies: Record<string, Buffer> = {
    'mono8.j2k.dcm': fs.readFileSync(path.join(corpus, 'mono8.j2k.dcm')),
    'rgb.jpegls.dcm': fs.readFileSync(path.join(corpus, 'rgb.jpegls.dcm')),
    'sai-kich-thuoc.dcm': lying,
  };
  const files = Object.keys(bodies).map((fileName) => ({
    id: randomUUID(),
    consultationId,
    sha256: '0'.repeat(64),
    kind: 'dicom',
    mediaType: 'application/dicom',
    fileName,
    sizeBytes: bodies[fileName].length,
    metadata: {},
    uploadedBy: { id: randomUUID(), fullName: 'Corpus' },
    createdAt: new Date().toISOString(),
  }));
  const me = await signedInUser(page);
  const now = Date.now();
  // The room opens on the real SFU with a join token signed here (the session is a stub).
  await stubJoin(page, stack, sessionId, me, { id: me.facilityId!, name: 'Site' });
  await page.route(`**/api/sessions/${sessionId}`, (r) =>
    r.fulfill({
      json: {
        id: sessionId,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        consultationIds: [consultationId],
        participants: [],
      },
    }),
  );
  await page.route(`**/api/sessions/${sessionId}/messages`, (r) => r.fulfill({ json: [] }));
  await page.route(`**/api/consultations/${consultationId}/attachments**`, (r) =>
    r.fulfill({ json: { items: files, total: files.length } }),
  );
  for (const f of files)
    await page.route(`**/api/attachments/${f.id}/content`, (r) =>
      r.fulfill({ body: bodies[f.fileName], contentType: f.mediaType }),
    );
  await page.goto(`/sessions/${sessionId}`);
  await page.getByRole('button', { name: 'Vào phiên' }).click();

  for (const [fileName, name, label] of [
    ['mono8.j2k.dcm', 'mono8', /^Ảnh DICOM/],
    ['rgb.jpegls.dcm', 'rgb', 'Ảnh DICOM, tâm cửa sổ 128, độ rộng 256'],
  ] as const) {
    await page.getByLabel('Tài liệu').selectOption({ label: fileName });
    const canvas = page.getByRole('img', { name: label });
    await canvas.waitFor({ timeout: 30_000 });
    const shown = await canvas.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      return {
        size: [c.width, c.height],
        rgba: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
      };
    });
    assert.deepEqual(shown.size, [64, 64], fileName);
    const expected = expectedRgba(name);
    const wrong = shown.rgba.filter((v, i) => v !== expected[i]).length;
    assert.equal(wrong, 0, `${fileName}: ${wrong} of ${expected.length} channel values differ`);
    await shots.take(page, `viewer-${name}`);
  }
  // The worker's refusal reaches the viewer as the file's error (its code, in Vietnamese).
  await page.getByLabel('Tài liệu').selectOption({ label: 'sai-kich-thuoc.dcm' });
  await page.getByText('Đây không phải tệp DICOM đọc được.').waitFor({ timeout: 30_000 });
  // Decoded off the main thread: the codec worker started, and fetched the codecs itself.
  assert.equal(workers.filter((p) => /\/wasm-worker-[\w-]+\.js$/.test(p)).length, 1, `${workers}`);
  const wasm = fetched.filter((p) => p.endsWith('.wasm'));
  assert.ok(
    wasm.some((p) => p.includes('openjpeg')) && wasm.some((p) => p.includes('charls')),
    `${wasm}`,
  );
  // zod probes `new Function` once (to decide whether it may JIT its parsers) and falls back
  // when the CSP says no: a violation of every page, and not the codecs'.
  const zodProbe = /CSP violation: script-src eval at \S+\/schemas-[\w-]+\.js:/;
  const codecProblems = problems.filter(
    (p) => !zodProbe.test(p) && /CSP|wasm|WebAssembly|DICOM|openjpeg|charls/i.test(p),
  );
  assert.deepEqual(codecProblems, []);
}
