/**
 * A CT series as one synced stack, end to end: 120 synthetic 16-bit slices (made here) chosen at
 * once, shuffled, in the request form, which uploads them a few at a time to the real API; the
 * request accepted and a session booked through the API; two Chromium sites in the room. The presenter's viewer shows slice 1 before the rest of the series has arrived and a
 * loading state (not another slice) for a slice still on its way; then the presenter moves to a
 * slice with the slider, the keyboard and the wheel and picks the lung window, and the other site
 * shows the same slice number with the same pixels, different from slice 1's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { makeCtSlice } from '@caunoi/test-support';
import { enterRoom, eventually, person, Shots, signIn } from './support/browser.ts';
import { COORDINATOR, REQUESTER, roomSuite, SPECIALIST } from './support/case.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = new Shots(path.join(here, '../test-results/screenshots-series'));
// SERIES_SLICES=300 SERIES_SIDE=512 measures a full-size CT (memory printed at the end).
const SLICES = Number(process.env.SERIES_SLICES ?? 120);
const SIDE = Number(process.env.SERIES_SIDE ?? 128);
const SERIES = '1.2.826.0.1.3680043.10.1234.7.555';

const s = roomSuite('series');

/** SHA-256 of what the viewer's DICOM canvas shows (its pixels, as PNG). */
async function canvasHash(page: Page): Promise<string> {
  const url = await page.evaluate(() => {
    const c = document.querySelector('canvas[data-window-center]') as HTMLCanvasElement | null;
    return c ? c.toDataURL('image/png') : '';
  });
  assert.ok(url, 'a DICOM canvas is on screen');
  return createHash('sha256').update(url).digest('hex');
}

const sliceLabel = (page: Page) => page.getByLabel('Lát cắt', { exact: true });

test(`a ${SLICES}-slice CT series opens as one stack, loads progressively and syncs slice and window`, async () => {
  const { kit } = s;
  const { api, one } = kit;
  const specialistId = await kit.userId(SPECIALIST);
  // A new patient of the district (arranged in SQL), consent through the API.
  const patientId = await kit.districtPatient('Phạm Văn Cắt', '1958-09-14', 'male');
  const requester = await kit.token(REQUESTER);
  const coordinator = await kit.token(COORDINATOR);
  await kit.consent(requester, patientId, 'teleconsultation');

  // The request form with 120 slice files chosen at once, in a shuffled order: the form sends
  // them a few at a time and the API puts them back in slice order.
  const order = Array.from({ length: SLICES }, (_, i) => i).sort(
    (a, b) => ((a * 7919) % SLICES) - ((b * 7919) % SLICES),
  );
  const nameOf = (i: number) => `ct-${String(i + 1).padStart(3, '0')}.dcm`;
  // Written to disk: the file chooser takes paths, whatever the series' size.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-series-'));
  const files = order.map((i) => {
    const file = path.join(dir, nameOf(i));
    fs.writeFileSync(
      file,
      makeCtSlice({
        seriesUid: SERIES,
        rows: SIDE,
        columns: SIDE,
        z: i * 2.5,
        zSpan: SLICES * 2.5,
        instanceNumber: i + 1,
        sopInstanceUid: `1.2.826.0.1.3680043.10.1234.9.${i + 1}`,
      }),
    );
    return file;
  });
  const form = (await person(s.browser, s.stack.webUrl)).page;
  await signIn(form, REQUESTER);
  await form.goto(`/consultations/new?patientId=${patientId}`);
  await eventually(
    async () => (await form.getByRole('combobox', { name: /^Người bệnh/ }).inputValue()) !== '',
    'patient preselected',
  );
  const target = form.getByLabel('Cơ sở được mời hội chẩn');
  const targetLabel = await target
    .locator('option', { hasText: 'Trung ương A' })
    .first()
    .textContent();
  await target.selectOption({ label: targetLabel!.trim() });
  await form.getByLabel('Chuyên khoa').selectOption('hô hấp');
  await form.getByLabel('Tóm tắt bệnh án').fill('Nam 68 tuổi, nốt phổi phải 14 mm trên CT ngực.');
  await form
    .getByLabel('Câu hỏi cho chuyên gia')
    .fill('Xin ý kiến về nốt phổi: theo dõi hay sinh thiết?');
  await form.getByLabel('Tệp đính kèm', { exact: true }).setInputFiles(files);
  await form
    .getByRole('list', { name: 'Tệp chờ tải lên' })
    .getByText(nameOf(SLICES - 1))
    .waitFor();
  // Count the uploads in flight in the page itself: each ends when its load/error/abort handler
  // runs, before the form's next upload can start.
  await form.evaluate(() => {
    const w = window as unknown as { uploads: { now: number; most: number } };
    w.uploads = { now: 0, most: 0 };
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) {
      if (body instanceof FormData) {
        w.uploads.most = Math.max(w.uploads.most, ++w.uploads.now);
        for (const k of ['onload', 'onerror', 'onabort'] as const) {
          const own = this[k];
          this[k] = function (this: XMLHttpRequest, e: ProgressEvent) {
            w.uploads.now--;
            return own?.call(this, e);
          };
        }
      }
      return send.call(this, body);
    };
  });
  await form.getByRole('button', { name: 'Gửi yêu cầu' }).click();
  await form.waitForURL(/\/consultations\/[0-9a-f-]{36}$/, { timeout: 180_000 });
  const consultationId = form.url().split('/').pop()!;
  await form.getByRole('status').filter({ hasText: 'Đã gửi yêu cầu.' }).waitFor();
  const most = await form.evaluate(
    () => (window as unknown as { uploads: { most: number } }).uploads.most,
  );
  assert.equal(most, 4, 'the form uploads 4 files at once');
  // The request page lists the series as one row (not one per slice) that opens it as a stack.
  const option = `CT NGUC — loạt ${SLICES} ảnh`;
  const rows = form.getByRole('list', { name: 'Tệp đính kèm', exact: true }).locator(':scope > li');
  await rows.first().getByRole('button', { name: option }).waitFor();
  assert.equal(await rows.count(), 1, 'one row for the whole series');
  await rows.first().getByText(`Các tệp của loạt (${SLICES})`).click();
  assert.equal(
    await form
      .getByRole('list', { name: `Các tệp của ${option}` })
      .locator('li')
      .count(),
    SLICES,
    'the row unfolds to its files',
  );
  await rows.first().getByRole('button', { name: option }).click();
  const preview = form.getByRole('dialog', { name: option });
  await preview.getByRole('img', { name: /^Ảnh DICOM/ }).waitFor();
  const previewSlice = preview.getByLabel('Lát cắt', { exact: true });
  assert.equal(await previewSlice.textContent(), `1 / ${SLICES}`);
  await shots.take(form, 'series-request-page-preview');
  // On a touch screen one finger swiping up moves through the slices: 80 px = 5 slices.
  const touch = await form.context().newCDPSession(form);
  await touch.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 2 });
  const area = (await preview.getByRole('application', { name: option }).boundingBox())!;
  const x = area.x + area.width / 2;
  let y = area.y + area.height * 0.7;
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 0; i < 8; i++) {
    y -= 10;
    await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
  }
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await eventually(
    async () => (await previewSlice.textContent()) === `6 / ${SLICES}`,
    'a one-finger swipe up moves 5 slices on',
  );
  await form.close();
  const accepted = await api(coordinator, 'POST', `/consultations/${consultationId}/accept`, {});
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  const consultation = { id: consultationId };
  const listed = await api(requester, 'GET', `/consultations/${consultationId}/attachments`);
  assert.equal(listed.body.items.length, SLICES, 'every slice uploaded by the form');
  const ids: string[] = new Array(SLICES);
  for (const a of listed.body.items as { id: string; fileName: string }[])
    ids[Number(a.fileName.slice(3, 6)) - 1] = a.id;
  const series = await api(requester, 'GET', `/consultations/${consultation.id}/series`);
  assert.deepEqual(series.body.items[0].instanceIds, ids, 'the API orders the shuffled slices');

  const sessionId = await kit.bookNow(coordinator, consultation.id);
  const pages = await enterRoom(s.browser, s.stack.webUrl, sessionId, [REQUESTER, SPECIALIST]);
  const [presenter, follower] = pages;

  // Progressive loading: hold back every slice but the first until the test lets them through.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = 0;
  await presenter.route('**/api/attachments/*/content', async (route) => {
    if (!route.request().url().includes(ids[0])) {
      held++;
      await gate;
    }
    await route.continue();
  });
  const picker = presenter.getByLabel('Tài liệu');
  await picker.waitFor();
  assert.ok((await picker.locator('option').allTextContents()).includes(option), 'one option');
  await picker.selectOption({ label: option });
  await presenter.getByRole('img', { name: /^Ảnh DICOM/ }).waitFor();
  assert.equal(await sliceLabel(presenter).textContent(), `1 / ${SLICES}`);
  const progress = presenter.getByRole('progressbar', { name: 'Đã tải loạt ảnh' });
  const progressValue = await progress.evaluate((p) => (p as HTMLProgressElement).value);
  assert.equal(progressValue, 1, 'slice 1 shows before the rest of the series');
  assert.ok(held >= 1 && held <= 4, `at most 4 slices asked for at once (${held})`);
  const firstHash = await canvasHash(presenter);
  // A slice that has not arrived shows a loading state, never another slice's image.
  await presenter.getByRole('slider', { name: 'Chọn lát cắt' }).fill('50');
  await presenter.getByRole('status').filter({ hasText: 'Đang tải lát 50…' }).waitFor();
  assert.equal(await presenter.locator('canvas[data-window-center]').count(), 0);
  await shots.take(presenter, 'series-slice-loading');
  release();
  await presenter.getByRole('img', { name: /^Ảnh DICOM/ }).waitFor();
  await eventually(async () => (await progress.count()) === 0, 'the whole series loaded', 60_000);

  // Present: slider to 70, three slices down with the keyboard, one wheel notch → slice 74.
  await presenter.getByRole('button', { name: 'Trình chiếu cho mọi người' }).click();
  await presenter.getByText('Bạn đang trình chiếu').waitFor();
  await presenter.getByRole('slider', { name: 'Chọn lát cắt' }).fill('70');
  const stage = presenter.getByRole('application', { name: option });
  await stage.focus();
  for (let i = 0; i < 3; i++) await stage.press('ArrowDown');
  const box = (await stage.boundingBox())!;
  await presenter.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await presenter.mouse.wheel(0, 100);
  await eventually(
    async () => (await sliceLabel(presenter).textContent()) === `74 / ${SLICES}`,
    'presenter on slice 74',
  );
  await presenter.getByRole('combobox', { name: /^Mẫu/ }).selectOption({ label: 'Phổi' });
  const lung = 'Ảnh DICOM, tâm cửa sổ -600, độ rộng 1500';
  await presenter.getByRole('img', { name: lung }).waitFor();
  const presenterHash = await canvasHash(presenter);
  assert.notEqual(presenterHash, firstHash, 'slice 74 is not slice 1');

  await follower.getByRole('img', { name: lung }).waitFor({ timeout: 30_000 });
  await eventually(
    async () => (await sliceLabel(follower).textContent()) === `74 / ${SLICES}`,
    'follower on slice 74',
  );
  await eventually(
    async () => (await canvasHash(follower)) === presenterHash,
    'follower shows the same pixels as the presenter',
  );
  await shots.take(presenter, 'series-presenter-slice-74-lung');
  await shots.take(follower, 'series-follower-slice-74-lung');

  // Back to slice 1 by Home: the follower's pixels change with it.
  await stage.press('Home');
  await eventually(
    async () => (await sliceLabel(follower).textContent()) === `1 / ${SLICES}`,
    'follower back on slice 1',
  );
  await eventually(
    async () => (await canvasHash(follower)) !== presenterHash,
    'follower pixels change with the slice',
  );
  // The follower fetched every slice in the background, each read audited with the patient.
  await eventually(
    async () => {
      const audit = await one(
        `SELECT count(DISTINCT target_id)::int AS n FROM audit_events
        WHERE action = 'attachment.download' AND actor_id = $1 AND patient_id = $2`,
        [specialistId, patientId],
      );
      return audit.n === SLICES;
    },
    'every slice the follower fetched is audited',
    120_000,
  );
  // What the follower's tab holds with the whole series loaded (after a full GC).
  await eventually(async () => (await follower.getByRole('progressbar').count()) === 0, 'loaded');
  const cdp = await follower.context().newCDPSession(follower);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as Record<string, number>;
  const mib = (n: number | undefined) => (n === undefined ? '?' : (n / 1048576).toFixed(1));
  console.log(
    `memory of the follower with ${SLICES} slices of ${SIDE}x${SIDE}x16 bit ` +
      `(${mib(SLICES * SIDE * SIDE * 2)} MiB of pixels): JS heap ${mib(heap.usedSize)} MiB, ` +
      `array buffers ${mib(heap.backingStorageSize)} MiB, embedder ${mib(heap.embedderHeapUsedSize)} MiB`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  s.passed = true;
});
