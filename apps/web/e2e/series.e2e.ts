/**
 * A CT series as one synced stack, end to end: 120 synthetic 16-bit slices (made here, shuffled,
 * uploaded through the real API), a session booked through the API, two Chromium sites in the
 * room. The presenter's viewer shows slice 1 before the rest of the series has arrived and a
 * loading state (not another slice) for a slice still on its way; then the presenter moves to a
 * slice with the slider, the keyboard and the wheel and picks the lung window, and the other site
 * shows the same slice number with the same pixels, different from slice 1's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { makeCtSlice } from '@caunoi/test-support';
import { writeSummary } from './support/summary.ts';
import { startStack, type Stack } from './support/stack.ts';
import { eventually, launch, person, PASSWORD, Shots, signIn } from './support/browser.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const shots = new Shots(path.join(here, '../test-results/screenshots-series'));
const SLICES = 120;
const SIDE = 128;
const SERIES = '1.2.826.0.1.3680043.10.1234.7.555';

interface Pg {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

let stack: Stack;
let browser: Browser;
let db: Pg;
let passed = false;

before(async () => {
  stack = await startStack({
    logsDir: path.join(here, '../test-results/logs-series'),
    endLiveDemoSessions: true,
  });
  const { Client } = require('pg') as { Client: new (o: { connectionString: string }) => Pg };
  db = new Client({ connectionString: stack.dbUrl });
  await db.connect();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await db?.end();
  await stack?.stop();
  writeSummary('web-e2e-series', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
});

async function token(email: string): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(res.status, 200, `login ${email}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function api(bearer: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}/api${url}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];

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

test('a 120-slice CT series opens as one stack, loads progressively and syncs slice and window', async () => {
  const user = async (email: string) =>
    (await one(`SELECT id FROM users WHERE email = $1`, [email])).id as string;
  const facility = async (code: string) =>
    (await one(`SELECT id FROM facilities WHERE code = $1`, [code])).id as string;
  const requesterId = await user('requester@district-1.demo');
  const specialistId = await user('specialist1@central-a.demo');
  const district = await facility('TTYT-H1');
  // An accepted request of a new patient (the API has no call that skips the review steps).
  const patient = await one(
    `INSERT INTO patients (facility_id, full_name, date_of_birth, sex, created_by)
     VALUES ($1, 'Phạm Văn Cắt', '1958-09-14', 'male', $2) RETURNING id`,
    [district, requesterId],
  );
  const consultation = await one(
    `INSERT INTO consultations (patient_id, requesting_facility_id, requester_id, target_facility_id,
       specialty, urgency, summary, question, status, submitted_at)
     VALUES ($1, $2, $3, $4, 'hô hấp', 'urgent', 'Nốt phổi trên CT', 'Xin hội chẩn CT ngực', 'accepted', now())
     RETURNING id`,
    [patient.id, district, requesterId, await facility('BV-TW-A')],
  );
  const requester = await token('requester@district-1.demo');
  const coordinator = await token('coordinator@central-a.demo');
  const consent = await api(requester, 'POST', `/patients/${patient.id}/consents`, {
    kind: 'teleconsultation',
    granted: true,
  });
  assert.equal(consent.status, 201, JSON.stringify(consent.body));

  // 120 slices, 2.5 mm apart, uploaded in a shuffled order, 4 at a time like the request form.
  const order = Array.from({ length: SLICES }, (_, i) => i).sort(
    (a, b) => ((a * 7919) % SLICES) - ((b * 7919) % SLICES),
  );
  const ids: string[] = new Array(SLICES);
  let next = 0;
  const lane = async () => {
    while (next < order.length) {
      const i = order[next++];
      const file = makeCtSlice({
        seriesUid: SERIES,
        rows: SIDE,
        columns: SIDE,
        z: i * 2.5,
        zSpan: SLICES * 2.5,
        instanceNumber: i + 1,
        sopInstanceUid: `1.2.826.0.1.3680043.10.1234.9.${i + 1}`,
      });
      const form = new FormData();
      form.append(
        'file',
        new Blob([new Uint8Array(file)]),
        `ct-${String(i + 1).padStart(3, '0')}.dcm`,
      );
      const res = await fetch(`${stack.apiUrl}/api/consultations/${consultation.id}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${requester}` },
        body: form,
      });
      assert.equal(res.status, 201, await res.clone().text());
      ids[i] = ((await res.json()) as { id: string }).id;
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  const series = await api(requester, 'GET', `/consultations/${consultation.id}/series`);
  assert.deepEqual(series.body.items[0].instanceIds, ids, 'the API orders the shuffled slices');

  const startsAt = Date.now();
  const booked = await api(coordinator, 'POST', '/sessions', {
    consultationIds: [consultation.id],
    participantIds: [specialistId, requesterId],
    facilityIds: [],
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + 3600_000).toISOString(),
  });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  const sessionId = booked.body.id as string;

  const pages: Page[] = [];
  for (const email of ['requester@district-1.demo', 'specialist1@central-a.demo']) {
    const { page } = await person(browser, stack.webUrl);
    page.on('pageerror', (e) => console.log(`[${email}] ${e.message}`));
    await signIn(page, email);
    await page.goto(`/sessions/${sessionId}`);
    await page.getByRole('button', { name: 'Vào phiên' }).click();
    pages.push(page);
  }
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
  const option = `CT NGUC — loạt ${SLICES} ảnh`;
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
  await eventually(async () => {
    const audit = await one(
      `SELECT count(DISTINCT target_id)::int AS n FROM audit_events
        WHERE action = 'attachment.download' AND actor_id = $1 AND patient_id = $2`,
      [specialistId, patient.id],
    );
    return audit.n === SLICES;
  }, 'every slice the follower fetched is audited');
  passed = true;
});
