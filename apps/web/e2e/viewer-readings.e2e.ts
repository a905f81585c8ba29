/**
 * Measurements and machine suggestions in the shared viewer, on the real stack (API, SFU, web,
 * PostgreSQL) and the reference reader as its own process: the district doctor presents a chest
 * X-ray with a pixel spacing, draws a distance and an angle, and the specialist's screen shows
 * the same mm and degree labels; the reader's findings come back and the overlay shows them
 * under "Gợi ý của máy — bác sĩ cần xác nhận"; the specialist confirms one and the district
 * doctor sees it confirmed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { makeDicom } from '@caunoi/test-support';
import { ROOT } from './support/stack.ts';
import { enterRoom, eventually, person, Shots, signIn } from './support/browser.ts';
import { COORDINATOR, REQUESTER, roomSuite, SPECIALIST } from './support/case.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = new Shots(path.join(here, '../test-results/screenshots-viewer-readings'));

let reader: ChildProcess;
let readerUrl: string;
const s = roomSuite('viewer-readings', {
  before: async () => {
    reader = spawn(process.execPath, [path.join(ROOT, 'tools/reference-reader/server.mjs')], {
      env: { ...process.env, READER_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    readerUrl = await new Promise<string>((resolve, reject) => {
      reader.once('exit', (code) => reject(new Error(`reference reader exited (${code})`)));
      reader.stdout!.on('data', (d: Buffer) => {
        const m = /listening on (http:\/\/\S+)/.exec(d.toString());
        if (m) resolve(m[1]);
      });
    });
  },
  after: () => {
    reader?.removeAllListeners('exit');
    reader?.kill();
  },
});

/** The label of every measurement on a page, in drawing order. */
const labels = (page: Page) =>
  page.locator('svg.annotations text.measurement-label').allTextContents();

test('a distance and an angle show the same values at both sites; machine findings are suggestions to confirm', async () => {
  const { kit } = s;
  const { api } = kit;
  const district = await kit.facilityId('TTYT-H1');
  const patientId = await kit.districtPatient('Phạm Văn Đo', '1958-07-14', 'male');
  const consultationId = await kit.acceptedRequest(patientId, 'Khó thở');
  const [admin, requester, coordinator] = await Promise.all([
    kit.token('admin@caunoi.demo'),
    kit.token(REQUESTER),
    kit.token(COORDINATOR),
  ]);
  await kit.consent(requester, patientId, 'teleconsultation');
  // The admin registers the district's reader on the facility's edit page.
  {
    const { page, context } = await person(s.browser, s.stack.webUrl);
    await signIn(page, 'admin@caunoi.demo');
    await page.goto('/admin');
    await page
      .getByRole('table', { name: 'Cơ sở y tế' })
      .getByRole('row')
      .filter({ hasText: 'TTYT-H1' })
      .getByRole('button', { name: 'Sửa cơ sở Trung tâm Y tế huyện 1' })
      .click();
    const form = page.getByRole('form', { name: 'Máy đọc ảnh (AI) — gợi ý đọc trước' });
    await form.getByText('Cơ sở chưa đăng ký máy đọc.').waitFor();
    await form.getByLabel('Địa chỉ máy đọc (https://…)').fill(`${readerUrl}/read`);
    await form.getByRole('button', { name: 'Lưu máy đọc' }).click();
    await form.getByRole('status').filter({ hasText: 'Đã lưu máy đọc.' }).waitFor();
    await shots.take(page, 'admin-registers-the-reader');
    await context.close();
  }
  const registered = await api(admin, 'GET', `/facilities/${district}/machine-reader`);
  assert.equal(registered.body.url, `${readerUrl}/read`);
  assert.deepEqual(registered.body.modalities, ['CR', 'DX', 'DR']);

  // A 256×256 chest X-ray whose pixels are 0.2 mm apart vertically and 0.25 mm horizontally.
  const form = new FormData();
  form.append(
    'file',
    new Blob([makeDicom({ rows: 256, columns: 256, pixelSpacing: [0.2, 0.25] })]),
    'xq-do.dcm',
  );
  const up = await fetch(`${s.stack.apiUrl}/api/consultations/${consultationId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${requester}` },
    body: form,
  });
  assert.equal(up.status, 201, await up.clone().text());
  const attachmentId = ((await up.json()) as { id: string }).id;

  const sessionId = await kit.bookNow(coordinator, consultationId);
  // The district doctor's device has a touch screen: the angle is drawn with a finger.
  const pages = await enterRoom(s.browser, s.stack.webUrl, sessionId, [REQUESTER, SPECIALIST], {
    connected: true,
    contextOf: (email) => ({ hasTouch: email === REQUESTER }),
  });
  const [presenter, specialist] = pages;

  await presenter.getByLabel('Tài liệu').selectOption({ label: 'xq-do.dcm' });
  await presenter.getByRole('img', { name: /^Ảnh DICOM/ }).waitFor();
  await presenter.getByRole('button', { name: 'Trình chiếu cho mọi người' }).click();
  await presenter.getByText('Bạn đang trình chiếu').waitFor();
  await specialist.getByRole('img', { name: /^Ảnh DICOM/ }).waitFor({ timeout: 20_000 });

  // Distance: a drag.
  await presenter.getByRole('radio', { name: 'Đo khoảng cách' }).check();
  const stage = presenter.getByRole('application', { name: 'xq-do.dcm' });
  const box = (await stage.boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await presenter.mouse.move(...at(0.3, 0.3));
  await presenter.mouse.down();
  await presenter.mouse.move(...at(0.6, 0.7), { steps: 5 });
  await presenter.mouse.up();
  // Angle: three taps of a finger (touch events, not a mouse).
  await presenter.getByRole('radio', { name: 'Đo góc' }).check();
  for (const [fx, fy] of [
    [0.7, 0.3],
    [0.5, 0.5],
    [0.7, 0.6],
  ] as const)
    await presenter.touchscreen.tap(...at(fx, fy));

  // The values from the saved shapes and the file's spacing, as every viewer computes them.
  const saved = await eventually(
    async () => {
      const r = await api(
        requester,
        'GET',
        `/sessions/${sessionId}/annotations?attachmentId=${attachmentId}`,
      );
      return r.body.items.length === 2 ? r.body.items : false;
    },
    'both measurements saved',
    15_000,
  );
  const dist = saved.find((a: { shape: { type: string } }) => a.shape.type === 'distance').shape;
  const mm = Math.hypot(
    (dist.to[0] - dist.from[0]) * 256 * 0.25,
    (dist.to[1] - dist.from[1]) * 256 * 0.2,
  );
  const ang = saved.find((a: { shape: { type: string } }) => a.shape.type === 'angle').shape;
  const leg = (p: [number, number]) => [
    (p[0] - ang.vertex[0]) * 256 * 0.25,
    (p[1] - ang.vertex[1]) * 256 * 0.2,
  ];
  const [u, v] = [leg(ang.a), leg(ang.b)];
  const degrees =
    (Math.atan2(Math.abs(u[0] * v[1] - u[1] * v[0]), u[0] * v[0] + u[1] * v[1]) * 180) / Math.PI;
  const expected = [`${mm.toFixed(1)} mm`, `${degrees.toFixed(1)}°`];
  for (const [who, page] of [
    ['presenter', presenter],
    ['specialist', specialist],
  ] as const)
    await eventually(
      async () => JSON.stringify(await labels(page)) === JSON.stringify(expected),
      `${who} shows ${expected.join(', ')} (has ${JSON.stringify(await labels(page))})`,
      15_000,
    );
  console.log(`[viewer-readings] labels at both sites: ${expected.join(', ')}`);
  await shots.take(specialist, 'measurements-at-the-other-site');

  // Machine suggestions: the reading arrives, the overlay says what it is.
  await eventually(
    async () => {
      const r = await api(requester, 'GET', `/attachments/${attachmentId}/machine-readings`);
      return r.body.items[0]?.status === 'completed';
    },
    'the reference reader answered',
    30_000,
  );
  await specialist.getByRole('checkbox', { name: 'Gợi ý của máy' }).check();
  await specialist.getByText('Gợi ý của máy — bác sĩ cần xác nhận').first().waitFor();
  await eventually(
    async () => (await specialist.locator('svg.machine-overlay g.machine-finding').count()) === 2,
    'two findings drawn over the image',
    15_000,
  );
  assert.match(
    (await specialist
      .locator('svg.machine-overlay text.machine-finding-label')
      .first()
      .textContent()) ?? '',
    /^Lung field \(right\) \d+ %$/,
  );
  await specialist
    .locator('svg.machine-overlay text.machine-caption', {
      hasText: 'Gợi ý của máy — bác sĩ cần xác nhận',
    })
    .waitFor();
  await specialist.getByRole('button', { name: 'Xác nhận', exact: true }).first().click();
  await specialist.getByText(/^Đã xác nhận \(/).waitFor();
  await shots.take(specialist, 'machine-suggestions-confirmed');

  await presenter.getByRole('checkbox', { name: 'Gợi ý của máy' }).check();
  await presenter.getByText(/^Đã xác nhận \(/).waitFor({ timeout: 15_000 });
  assert.equal(
    await presenter
      .locator('svg.machine-overlay g.machine-finding[data-state="confirmed"]')
      .count(),
    1,
  );
  s.passed = true;
});
