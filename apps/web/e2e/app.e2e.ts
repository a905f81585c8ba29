/**
 * Browser tests of the whole product: API + SFU + web started as child processes on a fresh
 * database, driven through headless Chromium with a fake camera and microphone, one browser
 * context per person. Run: `npm run test:e2e -w apps/web` (after building api, sfu and web).
 * Screenshots land in apps/web/test-results/screenshots.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { writeSummary } from './support/summary.ts';
import { startStack, type Stack } from './support/stack.ts';
import { eventually, launch, person, Shots, signIn, PASSWORD } from './support/browser.ts';
import {
  allLayersSent,
  keepPeerConnections,
  sentVideoLayers,
  type SentLayer,
} from './support/simulcast.ts';
import { makeDicom, makeJpegBaselineDicom, makePdf } from '@caunoi/test-support';

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.resolve(here, '../test-results');
const shots = new Shots(path.join(resultsDir, 'screenshots'));
const fixturesDir = path.join(here, 'fixtures');

const ACCOUNTS = {
  requester: 'requester@district-1.demo',
  coordinator: 'coordinator@central-a.demo',
  specialist1: 'specialist1@central-a.demo',
  specialist2: 'specialist2@central-a.demo',
  admin: 'admin@caunoi.demo',
};

let stack: Stack;
let browser: Browser;
const pages: Record<string, Page> = {};
const problems: string[] = [];
/** The golden path's request (later suites reuse it when they run after it). */
let consultationId = '';

function flattenKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'string' ? [key] : flattenKeys(v as Record<string, unknown>, key);
  });
}
const KEYS = flattenKeys(
  JSON.parse(fs.readFileSync(path.resolve(here, '../src/i18n/en.json'), 'utf8')),
);

async function open(name: string, email: string): Promise<Page> {
  const { page } = await person(browser, stack.webUrl);
  page.on('pageerror', (e) => problems.push(`[${name}] page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`[${name}] console: ${m.text()}`);
  });
  await signIn(page, email);
  pages[name] = page;
  return page;
}

/** The page of a person, signing them in on first use (so each describe also runs alone). */
async function as(name: keyof typeof ACCOUNTS): Promise<Page> {
  return pages[name] ?? open(name, ACCOUNTS[name]);
}

async function apiLogin(
  email: string,
): Promise<{ accessToken: string; user: { id: string; fullName: string } }> {
  const res = await fetch(`${stack.webUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(res.status, 200, `login ${email}`);
  return (await res.json()) as { accessToken: string; user: { id: string; fullName: string } };
}

/** Every interactive control on the page has an accessible name (tests select by role + name). */
async function assertNamedControls(page: Page, where: string): Promise<void> {
  const tree = await page.locator('body').ariaSnapshot();
  const unnamed = tree
    .split('\n')
    .filter((l) =>
      /^\s*- (button|link|textbox|combobox|checkbox|radio|spinbutton|slider|tab|switch|searchbox)\s*(\[[^\]]*\])?\s*:?\s*$/.test(
        l,
      ),
    );
  assert.deepEqual(unnamed, [], `${where}: controls without an accessible name`);
}

/** No raw i18n key and no unfilled placeholder anywhere in the visible text. */
async function assertTranslated(page: Page, where: string, scope = 'body'): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const text = await page.locator(scope).innerText();
  const raw = KEYS.filter((k) =>
    new RegExp(`(^|[^\\w.])${k.replace(/\./g, '\\.')}($|[^\\w.])`).test(text),
  );
  assert.deepEqual(raw, [], `${where}: untranslated keys shown`);
  assert.ok(!text.includes('{{'), `${where}: unfilled placeholder`);
}

/** A test that, when it fails, leaves a screenshot of every open page behind. */
const counts = { passed: 0, failed: 0 };
function step(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
      counts.passed++;
    } catch (err) {
      counts.failed++;
      for (const [who, page] of Object.entries(pages)) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
        await shots.take(page, `FAILED-${slug}-${who}`).catch(() => undefined);
      }
      throw err;
    }
  });
}

/** A JPEG baseline DICOM made by our own encoder (checked against the source samples in the room). */
const jpegDicom = makeJpegBaselineDicom({ rows: 128, columns: 128 });

function vnLocal(date: Date): string {
  return new Date(date.getTime() + 7 * 3600_000).toISOString().slice(0, 16);
}

before(async () => {
  fs.mkdirSync(fixturesDir, { recursive: true });
  fs.writeFileSync(
    path.join(fixturesDir, 'xquang-nguc.dcm'),
    makeDicom({ rows: 256, columns: 256 }),
  );
  fs.writeFileSync(path.join(fixturesDir, 'xet-nghiem.pdf'), makePdf());
  fs.writeFileSync(path.join(fixturesDir, 'xquang-jpeg.dcm'), jpegDicom.file);
  stack = await startStack({ logsDir: path.join(resultsDir, 'logs'), endLiveDemoSessions: true });
  browser = await launch();
});

after(async () => {
  if (problems.length) console.log(`browser problems:\n${problems.slice(0, 40).join('\n')}`);
  console.log(`screenshots:\n${shots.taken.join('\n')}`);
  await browser?.close();
  await stack?.stop();
  writeSummary('web-e2e', counts);
});

describe('shell', () => {
  step('a wrong password is refused with a clear message', async () => {
    const { page, context } = await person(browser, stack.webUrl);
    await page.goto('/login');
    await assertTranslated(page, 'login (vi)');
    await page.getByLabel('Email').fill(ACCOUNTS.requester);
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sai email hoặc mật khẩu.' }).waitFor();
    await shots.take(page, 'login-wrong-password');
    assert.match(new URL(page.url()).pathname, /^\/login/);
    await context.close();
  });

  step('signing in works with the keyboard alone', async () => {
    const { page, context } = await person(browser, stack.webUrl);
    await page.goto('/login');
    await page.getByLabel('Email').waitFor();
    // Tab until the e-mail field has focus (the language switch comes first).
    for (
      let i = 0;
      i < 5 &&
      !(await page.evaluate(
        () => (document.activeElement as HTMLInputElement | null)?.type === 'email',
      ));
      i++
    ) {
      await page.keyboard.press('Tab');
    }
    assert.equal(
      await page.evaluate(() => (document.activeElement as HTMLInputElement).type),
      'email',
    );
    await page.keyboard.type(ACCOUNTS.coordinator);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/triage$/);
    await page.getByRole('heading', { name: 'Hàng đợi phân loại' }).waitFor();
    await context.close();
  });

  step('an unknown page shows a clear 404, a page of another role a 403', async () => {
    const page = await open('requester', ACCOUNTS.requester);
    await page.goto('/khong-co-trang-nay');
    await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
    await shots.take(page, 'not-found');
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Không có quyền truy cập' }).waitFor();
    await shots.take(page, 'forbidden');
  });

  step(
    'tokens stay out of page storage; a reload signs in again through the httpOnly cookie',
    async () => {
      const page = await as('requester');
      await page.goto('/consultations');
      await page.getByRole('table', { name: 'Yêu cầu của tôi' }).getByRole('row').nth(1).waitFor();
      const visible = await page.evaluate(() => ({
        storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
        cookies: document.cookie,
      }));
      assert.doesNotMatch(visible.storage, /eyJ/); // no JWT in localStorage/sessionStorage
      assert.doesNotMatch(visible.cookies, /caunoi_refresh/); // httpOnly: scripts cannot read it
      await page.reload();
      await page.getByRole('table', { name: 'Yêu cầu của tôi' }).getByRole('row').nth(1).waitFor();
      assert.match(new URL(page.url()).pathname, /^\/consultations/);
    },
  );

  step('every main page is translated in Vietnamese and in English', async () => {
    const coordinator = await open('coordinator', ACCOUNTS.coordinator);
    const admin = (await person(browser, stack.webUrl)).page;
    await signIn(admin, ACCOUNTS.admin);
    const visits: Array<[Page, string]> = [
      [pages.requester, '/patients'],
      [pages.requester, '/consultations/new'],
      [pages.requester, '/consultations'],
      [pages.requester, '/my-sessions'],
      [coordinator, '/triage'],
      [coordinator, '/scheduling'],
      [admin, '/admin'],
    ];
    for (const lang of ['vi', 'en'] as const) {
      for (const [page, url] of visits) {
        await page.goto(url);
        if (
          (await page
            .getByLabel(/^(Ngôn ngữ|Language)$/)
            .first()
            .inputValue()) !== lang
        ) {
          await page
            .getByLabel(/^(Ngôn ngữ|Language)$/)
            .first()
            .selectOption(lang);
        }
        await page.locator('h1').first().waitFor();
        // English is fetched when chosen: the page switches (and sets lang) once it has arrived.
        await page
          .waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 10_000 })
          .catch(() => undefined);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        await assertTranslated(page, `${url} (${lang})`);
        await assertNamedControls(page, `${url} (${lang})`);
      }
    }
    await shots.take(coordinator, 'triage-en');
    for (const page of [pages.requester, coordinator, admin])
      await page.getByLabel('Language').first().selectOption('vi');
    await admin.context().close();
  });
});

describe('golden path', () => {
  const patientName = `Trần Thị Thử ${Date.now() % 100000}`;
  let sessionId = '';
  const names: Record<string, string> = {};

  step(
    'the requester registers a patient, records consent and submits a request with a DICOM X-ray and a PDF',
    async () => {
      const page = await as('requester');
      await page.goto('/patients');
      await page.getByLabel('Họ và tên').fill(patientName);
      await page.getByLabel('Ngày sinh').fill('1961-04-15');
      await page.getByLabel('Giới tính').selectOption('female');
      await page.getByRole('button', { name: 'Đăng ký người bệnh' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Đã đăng ký ${patientName}.` })
        .waitFor();
      await page.getByRole('button', { name: 'Ghi nhận đồng ý hội chẩn từ xa' }).click();
      await page.getByRole('list', { name: 'Chấp thuận' }).getByText('đồng ý').waitFor();
      await shots.take(page, 'patients');

      await page.getByRole('article').getByRole('link', { name: 'Tạo yêu cầu' }).click();
      await page.getByRole('heading', { name: 'Yêu cầu hội chẩn mới' }).waitFor();
      await eventually(
        async () => (await page.getByRole('combobox', { name: /^Người bệnh/ }).inputValue()) !== '',
        'patient preselected',
      );
      const target = page.getByLabel('Cơ sở được mời hội chẩn');
      const targetLabel = await target
        .locator('option', { hasText: 'Trung ương A' })
        .first()
        .textContent();
      await target.selectOption({ label: targetLabel!.trim() });
      await page.getByLabel('Chuyên khoa').selectOption('hô hấp');
      await page.getByRole('radio', { name: 'Khẩn' }).check();
      await page
        .getByLabel('Tóm tắt bệnh án')
        .fill(
          'Nữ 65 tuổi, ho kéo dài 3 tuần, sốt nhẹ về chiều, sút 3 kg. X-quang: đám mờ thuỳ trên phổi phải.',
        );
      await page
        .getByLabel('Câu hỏi cho chuyên gia')
        .fill('Xin ý kiến chẩn đoán phân biệt lao phổi và u phổi; có cần chụp CT không?');
      // The X-ray through the file chooser, the lab report dropped onto the drop zone.
      await page
        .getByLabel('Tệp đính kèm', { exact: true })
        .setInputFiles([
          path.join(fixturesDir, 'xquang-nguc.dcm'),
          path.join(fixturesDir, 'xquang-jpeg.dcm'),
        ]);
      const dropped = await page.evaluateHandle(
        (b64) => {
          const dt = new DataTransfer();
          dt.items.add(
            new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'xet-nghiem.pdf', {
              type: 'application/pdf',
            }),
          );
          return dt;
        },
        fs.readFileSync(path.join(fixturesDir, 'xet-nghiem.pdf')).toString('base64'),
      );
      await page
        .getByRole('region', { name: 'Vùng thả tệp đính kèm' })
        .dispatchEvent('drop', { dataTransfer: dropped });
      await page
        .getByRole('list', { name: 'Tệp chờ tải lên' })
        .getByText('xet-nghiem.pdf')
        .waitFor();
      await page
        .getByRole('list', { name: 'Tệp chờ tải lên' })
        .getByText('xquang-nguc.dcm')
        .waitFor();
      await shots.take(page, 'new-request');
      await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
      await page.waitForURL(/\/consultations\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      consultationId = page.url().split('/').pop()!;
      await page.getByRole('status').filter({ hasText: 'Đã gửi yêu cầu.' }).waitFor();
      await page.getByRole('list', { name: 'Tệp đính kèm' }).getByText('xquang-nguc.dcm').waitFor();
      await page.getByRole('list', { name: 'Tệp đính kèm' }).getByText('xquang-jpeg.dcm').waitFor();
      await page.getByRole('list', { name: 'Tệp đính kèm' }).getByText('xet-nghiem.pdf').waitFor();
      await shots.take(page, 'request-submitted');
      await page.goto('/consultations');
      await page.getByRole('table', { name: 'Yêu cầu của tôi' }).getByText(patientName).waitFor();
    },
  );

  step(
    'the coordinator accepts it from the triage queue and books a session with two specialists',
    async () => {
      const page = await as('coordinator');
      for (const k of ['specialist1', 'specialist2', 'requester'] as const)
        names[k] = (await apiLogin(ACCOUNTS[k])).user.fullName;
      await page.goto('/triage');
      await page.getByRole('button', { name: `Tiếp nhận yêu cầu của ${patientName}` }).waitFor();
      await shots.take(page, 'triage');
      await page.getByRole('button', { name: `Tiếp nhận yêu cầu của ${patientName}` }).click();
      await page
        .getByRole('button', { name: `Tiếp nhận yêu cầu của ${patientName}` })
        .waitFor({ state: 'detached' });
      await page.getByRole('tab', { name: 'Đã tiếp nhận, chờ lên lịch' }).click();
      await page.getByRole('button', { name: `Lên lịch cho yêu cầu của ${patientName}` }).click();
      await page.waitForURL(/\/scheduling\?consultationId=/);
      await page.getByRole('checkbox', { name: names.specialist1 }).check();
      await page.getByRole('checkbox', { name: names.specialist2 }).check();
      // The suggestions carry the request (the API then applies its urgency's horizon: urgent here).
      const asked = page.waitForRequest((r) => r.url().includes('/api/scheduling/suggestions'));
      await page.getByRole('button', { name: 'Gợi ý khung giờ' }).click();
      assert.equal(new URL((await asked).url()).searchParams.get('consultationId'), consultationId);
      await page.getByRole('list', { name: 'Khung giờ gợi ý' }).waitFor();
      await page.getByText('Theo mức độ khẩn của yêu cầu (khẩn)').waitFor();
      await page.locator('.fc-timegrid').waitFor();
      await shots.take(page, 'scheduling-suggestions');
      // The test meets now, not at the first suggested slot: book from now on (allowed, with a warning).
      await page.getByLabel('Hoặc chọn giờ bắt đầu').fill(vnLocal(new Date(Date.now() + 60_000)));
      const checked = page.getByRole('region', { name: 'Khung giờ đã chọn và xung đột' });
      await checked.getByText(/Không trùng|Trùng với lịch/).waitFor();
      await page.getByRole('button', { name: 'Đặt lịch phiên' }).click();
      const booked = page.getByRole('status').filter({ hasText: 'Đã đặt phiên' });
      await booked.waitFor({ timeout: 30_000 });
      const href = await booked.getByRole('link', { name: 'Vào phòng' }).getAttribute('href');
      sessionId = href!.split('/').pop()!;
      assert.match(sessionId, /^[0-9a-f-]{36}$/);
      await shots.take(page, 'scheduling-booked');
      // Everyone invited is notified live.
      await pages.requester
        .getByRole('button', { name: /^Thông báo \([1-9]/ })
        .waitFor({ timeout: 15_000 });
      // The same slot again: the clash with the new booking is shown before booking.
      await page.getByLabel('Hoặc chọn giờ bắt đầu').fill(vnLocal(new Date(Date.now() + 120_000)));
      await checked.getByText(/Trùng với lịch đã đặt/).waitFor();
      await shots.take(page, 'scheduling-conflict');
    },
  );

  step('the requester and two specialists join: each sees and hears the two others', async () => {
    await as('specialist1');
    await as('specialist2');
    await pages.specialist1.goto('/my-sessions');
    await pages.specialist1
      .getByRole('list', { name: 'Phiên sắp tới' })
      .getByRole('link')
      .first()
      .waitFor();
    await shots.take(pages.specialist1, 'specialist-home');
    const room = ['requester', 'specialist1', 'specialist2'];
    // Keep the requester's peer connections reachable, to count the simulcast layers it sends.
    await keepPeerConnections(pages.requester);
    // And count its connectTransport requests: the SFU connects both transports in the join
    // (the fingerprints of the browser's certificate made ahead), so none goes out.
    const connects: string[] = [];
    // And the line's round trip its join tells the SFU (the page's own API requests measured it).
    const lineRtts: number[] = [];
    pages.requester.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        if (typeof payload !== 'string') return;
        if (/^42\d*\["connectTransport"/.test(payload)) connects.push(payload.slice(0, 120));
        const rtt = /"lineRttMs":(\d+)/.exec(payload);
        if (rtt) lineRtts.push(Number(rtt[1]));
      }),
    );
    for (const who of room) {
      const page = pages[who];
      await page.goto(`/sessions/${sessionId}`);
      await page.getByRole('button', { name: 'Vào phiên' }).waitFor();
      if (who === 'requester') {
        await eventually(
          async () =>
            page.evaluate(() => {
              const v = document.querySelector('video');
              return !!v && v.videoWidth > 0;
            }),
          'camera preview',
        );
        // Captured at 1280x720 so that VP8 simulcast can send its three layers (docs/sfu.md).
        const captured = await page.evaluate(() => {
          const v = document.querySelector('video')!;
          const s = (v.srcObject as MediaStream).getVideoTracks()[0].getSettings();
          return [s.width, s.height];
        });
        assert.deepEqual(captured, [1280, 720]);
        await shots.take(page, 'prejoin');
      }
      await page.getByRole('button', { name: 'Vào phiên' }).click();
    }
    for (const who of room) {
      const page = pages[who];
      await page
        .getByRole('status', { name: 'Trạng thái kết nối' })
        .filter({ hasText: 'Đã kết nối' })
        .waitFor({ timeout: 40_000 });
      if (who === 'requester') {
        // The 720p camera feeds all three VP8 simulcast layers. Each must have been encoded,
        // unless the browser itself reports adapting (a loaded machine turns the top layer off
        // however the app asks); the lowest layer and the three negotiated rids are never excused.
        let seen: SentLayer[] = [];
        const verdict = await eventually(
          async () => {
            seen = await sentVideoLayers(page);
            const v = allLayersSent(seen, ['r0', 'r1', 'r2']);
            return v.ok && v.excused.length === 0 ? v : false;
          },
          'requester sends three simulcast layers',
          45_000,
        ).catch(() => {
          const v = allLayersSent(seen, ['r0', 'r1', 'r2']);
          assert.ok(v.ok, `requester sends three simulcast layers: ${JSON.stringify(seen)}`);
          return v;
        });
        if (verdict.excused.length > 0)
          console.warn(
            `[app e2e] layers ${verdict.excused} not sent, browser adapting: ${JSON.stringify(seen)}`,
          );
        assert.equal(connects.length, 0, `no connectTransport: ${connects.join(' | ')}`);
        assert.ok(
          lineRtts.length > 0 && lineRtts.every((r) => r >= 1 && r < 10_000),
          `the join carries the line's round trip: ${JSON.stringify(lineRtts)}`,
        );
      }
      const others = room.filter((o) => o !== who).map((o) => names[o]);
      // The join's last step is marked once, when the first remote voice arrived (its track
      // unmuted): what the weak-link benchmark times a join by.
      const voiceMarks = await eventually(
        async () =>
          (await page.evaluate(() => performance.getEntriesByName('caunoi:first-voice').length)) ||
          false,
        'the first remote voice marked',
      );
      assert.equal(voiceMarks, 1, 'one first-voice mark per join');
      // Decoded frames, and more of them a moment later: the videos really play.
      const frames = async () =>
        page.evaluate(
          (labels) =>
            labels.map((l) => {
              const v = document.querySelector(
                `video[aria-label="${l}"]`,
              ) as HTMLVideoElement | null;
              return v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0;
            }),
          others.map((n) => `Hình ảnh của ${n}`),
        );
      const first = await eventually(
        async () => {
          const f = await frames();
          return f.every((n) => n > 0) ? f : false;
        },
        `${who} decodes video of ${others.join(', ')}`,
        45_000,
      );
      await eventually(
        async () => {
          const f = await frames();
          return f.every((n, i) => n > first[i]);
        },
        `${who}'s remote videos keep playing`,
        15_000,
      );
      // Audio: both others' microphones arrive with energy (the fake device beeps).
      await eventually(
        async () => {
          const stats = await page.evaluate(
            async () => (await window.__caunoiConference?.receiverStats()) ?? [],
          );
          const audible = new Set(
            stats
              .filter((s) => s.kind === 'audio' && (s.totalAudioEnergy ?? 0) > 0)
              .map((s) => s.peerId),
          );
          return audible.size >= 2;
        },
        `${who} hears the two others`,
        30_000,
      );
    }
    await shots.take(pages.specialist1, 'room-video-grid');
  });

  step(
    'the requester presents the X-ray: the specialists see the same window/level and pointer',
    async () => {
      const presenter = pages.requester;
      // The second specialist is on a thin line (≈ 24 KB/s, Chromium's own throttling): the
      // X-ray (128 KB) arrives for seconds, and the viewer says how much of it has come.
      const thin = await pages.specialist2.context().newCDPSession(pages.specialist2);
      await thin.send('Network.enable');
      await thin.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: 24 * 1024,
        uploadThroughput: -1,
      });
      await pages.specialist2.evaluate(() => {
        const seen: Array<{ part: number; text: string }> = [];
        const timer = setInterval(() => {
          const bar = document.querySelector<HTMLProgressElement>('.viewer-download progress');
          if (bar) seen.push({ part: bar.value / bar.max, text: bar.parentElement!.textContent! });
        }, 50);
        Object.assign(globalThis, { __download: { seen, stop: () => clearInterval(timer) } });
      });
      await presenter.getByLabel('Tài liệu').selectOption({ label: 'xquang-nguc.dcm' });
      await presenter.getByRole('img', { name: /^Ảnh DICOM/ }).waitFor();
      await presenter.getByRole('button', { name: 'Trình chiếu cho mọi người' }).click();
      await presenter.getByText('Bạn đang trình chiếu').waitFor();
      await presenter.getByRole('spinbutton', { name: 'Tâm cửa sổ' }).fill('500');
      await presenter.getByRole('spinbutton', { name: 'Độ rộng cửa sổ' }).fill('900');
      await presenter.getByRole('button', { name: 'Phóng to' }).click();
      const stage = presenter.getByRole('application', { name: 'xquang-nguc.dcm' });
      const box = (await stage.boundingBox())!;
      await presenter.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.45);
      await presenter.mouse.move(box.x + box.width * 0.42, box.y + box.height * 0.47, { steps: 3 });
      const pointer = presenter.getByRole('img', { name: 'Con trỏ của người trình chiếu' });
      const mine = {
        x: await pointer.getAttribute('data-x'),
        y: await pointer.getAttribute('data-y'),
      };
      for (const who of ['specialist1', 'specialist2']) {
        const page = pages[who];
        await page
          .getByRole('img', { name: 'Ảnh DICOM, tâm cửa sổ 500, độ rộng 900' })
          .waitFor({ timeout: 20_000 });
        await eventually(async () => {
          const p = page.getByRole('img', { name: 'Con trỏ của người trình chiếu' });
          return (
            (await p.getAttribute('data-x')) === mine.x &&
            (await p.getAttribute('data-y')) === mine.y
          );
        }, `${who} sees the pointer at ${mine.x},${mine.y}`);
        await page.getByText(`Đang xem theo ${names.requester}`).waitFor();
        if (who === 'specialist2') {
          await thin.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: 0,
            downloadThroughput: -1,
            uploadThroughput: -1,
          });
          type Seen = Array<{ part: number; text: string }>;
          const seen = await page.evaluate(() => {
            const d = (globalThis as unknown as { __download: { seen: Seen; stop(): void } })
              .__download;
            d.stop();
            return d.seen;
          });
          const parts = seen.map((s) => s.part);
          assert.ok(
            parts.some((p) => p > 0 && p < 1),
            `the thin line's viewer showed a part of the X-ray as arrived (${seen.length} samples: ${[...new Set(parts)].slice(0, 8).join(', ')})`,
          );
          assert.ok(
            parts.every((p, i) => i === 0 || p >= parts[i - 1]),
            'the download progress never went back',
          );
          assert.match(seen.at(-1)!.text, /Đang tải [\d.]+ KB \/ 128\.\d KB/);
        }
        assert.equal(
          await page.getByLabel('Thu phóng').textContent(),
          await presenter.getByLabel('Thu phóng').textContent(),
        );
      }
      await shots.take(presenter, 'room-presenting-xray');
      await shots.take(pages.specialist2, 'room-following-xray');
      // An annotation circled by the presenter reaches everyone and stays with the case.
      await presenter.getByRole('radio', { name: 'Khoanh vùng' }).check();
      await presenter.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.3);
      await presenter.mouse.down();
      await presenter.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5, { steps: 4 });
      await presenter.mouse.up();
      for (const who of ['specialist1', 'specialist2']) {
        await eventually(
          async () => (await pages[who].locator('svg.annotations ellipse').count()) >= 1,
          `${who} sees the annotation`,
          15_000,
        );
      }
      await shots.take(pages.specialist1, 'room-annotation');
      // A text note with the keyboard only: choose the tool, focus the viewer, Enter (the centre of
      // the view), type, Enter. It reaches everyone.
      const note = 'Nốt mờ thuỳ trên phải';
      await presenter.getByRole('radio', { name: 'Ghi chú chữ' }).focus();
      await presenter.keyboard.press('Space');
      assert.equal(await presenter.getByRole('radio', { name: 'Ghi chú chữ' }).isChecked(), true);
      await stage.focus();
      await presenter.keyboard.press('Enter');
      const noteInput = presenter.getByRole('textbox', { name: 'Nội dung ghi chú' });
      await eventually(
        () => noteInput.evaluate((el) => el === document.activeElement),
        'focus moves to the note text',
      );
      await presenter.getByText(/^Vị trí đã chọn: \d+% ngang/).waitFor();
      await presenter.keyboard.type(note);
      await shots.take(presenter, 'room-text-note-form');
      await presenter.keyboard.press('Enter');
      for (const who of ['specialist1', 'specialist2']) {
        await eventually(
          async () =>
            (await pages[who].locator('svg.annotations text', { hasText: note }).count()) === 1,
          `${who} sees the text note`,
          15_000,
        );
      }
      await shots.take(pages.specialist2, 'room-text-note');
      await presenter.getByRole('radio', { name: 'Di chuyển' }).check();
      // Then the lab report: the followers switch document with the presenter.
      await presenter.getByLabel('Tài liệu').selectOption({ label: 'xet-nghiem.pdf' });
      await presenter.getByRole('img', { name: 'Trang PDF 1' }).waitFor();
      for (const who of ['specialist1', 'specialist2'])
        await pages[who].getByRole('img', { name: 'Trang PDF 1' }).waitFor({ timeout: 20_000 });
      await shots.take(pages.specialist1, 'room-following-pdf');
      // A JPEG baseline DICOM: the browser decodes it; the followers' pixels match the source samples.
      await presenter.getByLabel('Tài liệu').selectOption({ label: 'xquang-jpeg.dcm' });
      for (const who of ['specialist1', 'specialist2']) {
        const canvas = pages[who].getByRole('img', {
          name: 'Ảnh DICOM, tâm cửa sổ 128, độ rộng 256',
        });
        await canvas.waitFor({ timeout: 20_000 });
        const diff = await canvas.evaluate((el, expected) => {
          const c = el as HTMLCanvasElement;
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let sum = 0;
          for (let i = 0; i < expected.length; i++) sum += Math.abs(data[i * 4] - expected[i]);
          return { size: [c.width, c.height], mean: sum / expected.length };
        }, Array.from(jpegDicom.grey));
        assert.deepEqual(diff.size, [128, 128]);
        assert.ok(
          diff.mean < 4,
          `${who}: decoded JPEG baseline differs from the source by ${diff.mean.toFixed(2)} on average`,
        );
      }
      await shots.take(pages.specialist1, 'room-following-jpeg-dicom');
    },
  );

  step('chat reaches everyone', async () => {
    await pages.requester
      .getByRole('textbox', { name: 'Tin nhắn' })
      .fill('Chào các anh chị, đây là phim X-quang của bệnh nhân.');
    await pages.requester.getByRole('button', { name: 'Gửi' }).click();
    await pages.specialist2
      .getByRole('textbox', { name: 'Tin nhắn' })
      .fill('Đã thấy, tổn thương thuỳ trên phải.');
    await pages.specialist2.getByRole('button', { name: 'Gửi' }).click();
    for (const who of ['requester', 'specialist1', 'specialist2']) {
      const log = pages[who].getByRole('list', { name: 'Các tin nhắn' });
      await log.getByText('đây là phim X-quang').waitFor();
      await log.getByText('tổn thương thuỳ trên phải').waitFor();
    }
    await shots.take(pages.specialist1, 'room-chat');
    // Presence: the three who joined are online.
    await pages.specialist1.getByRole('tab', { name: 'Người tham gia' }).click();
    await eventually(
      async () =>
        (await pages.specialist1
          .getByRole('list', { name: 'Người tham gia' })
          .getByText('trực tuyến')
          .count()) >= 3,
      'three online',
    );
    await shots.take(pages.specialist1, 'room-participants');
    await pages.specialist1.getByRole('tab', { name: 'Trò chuyện' }).click();
    // The room itself in both languages: no raw key, every control named.
    const sp = pages.specialist1;
    await assertNamedControls(sp, 'room (vi)');
    await sp.getByLabel('Ngôn ngữ').first().selectOption('en');
    await sp.getByRole('button', { name: 'Mute' }).waitFor();
    await assertTranslated(sp, 'room (en)');
    await assertNamedControls(sp, 'room (en)');
    await shots.take(sp, 'room-en');
    await sp.getByLabel('Language').first().selectOption('vi');
    await sp.getByRole('button', { name: 'Tắt tiếng' }).waitFor();
  });

  step(
    'a dropped link shows the reconnecting banner, which clears by itself; camera off and on reach the others',
    async () => {
      const page = pages.specialist2;
      await page.evaluate(() => {
        const w = window as unknown as { __sawBanner: boolean };
        w.__sawBanner = false;
        new MutationObserver(() => {
          if (document.querySelector('.banner')) w.__sawBanner = true;
        }).observe(document.body, { childList: true, subtree: true });
        window.__caunoiConference?.simulateLinkDrop();
      });
      await eventually(
        async () =>
          page.evaluate(() => (window as unknown as { __sawBanner: boolean }).__sawBanner),
        'reconnecting banner shown',
        15_000,
      );
      await page.locator('.banner').waitFor({ state: 'detached', timeout: 45_000 });
      await page
        .getByRole('status', { name: 'Trạng thái kết nối' })
        .filter({ hasText: 'Đã kết nối' })
        .waitFor();
      const playing = async (p: Page, label: string) =>
        p.evaluate((l) => {
          const v = document.querySelector(`video[aria-label="${l}"]`) as HTMLVideoElement | null;
          return v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0;
        }, label);
      for (const who of ['requester', 'specialist1']) {
        await eventually(
          async () => (await playing(pages[who], `Hình ảnh của ${names.specialist2}`)) > 0,
          `${who} sees specialist2 again`,
          45_000,
        );
      }
      await eventually(
        async () => (await playing(page, `Hình ảnh của ${names.requester}`)) > 0,
        'specialist2 sees the requester again',
        45_000,
      );
      await shots.take(page, 'room-after-reconnect');

      await pages.requester.getByRole('button', { name: 'Tắt camera' }).click();
      await eventually(
        async () =>
          (await pages.specialist1
            .locator(`video[aria-label="Hình ảnh của ${names.requester}"]`)
            .count()) === 0,
        'camera off seen',
      );
      await pages.requester.getByRole('button', { name: 'Bật camera' }).click();
      await eventually(
        async () => (await playing(pages.specialist1, `Hình ảnh của ${names.requester}`)) > 0,
        'camera on seen',
        20_000,
      );
    },
  );

  step('the chair writes and signs the minutes; the PDF and FHIR bundle download', async () => {
    const page = pages.specialist1;
    await page.getByRole('tab', { name: 'Biên bản' }).click();
    await page
      .getByLabel('Tóm tắt ca bệnh')
      .fill('Nữ 65 tuổi, ho kéo dài, đám mờ thuỳ trên phổi phải.');
    await page
      .getByLabel('Ý kiến')
      .fill('BS hô hấp: nghĩ nhiều lao phổi. BS chẩn đoán hình ảnh: cần CT ngực để loại trừ u.');
    await page.getByLabel('Kết luận').fill('Nghi lao phổi, chưa loại trừ u phổi.');
    // Coded conclusion: typed without diacritics, picked from the ICD-10 catalogue.
    await page.getByLabel('Tìm mã hoặc tên bệnh ICD-10').fill('lao phoi');
    await page.getByRole('button', { name: /^Thêm A16\.2/ }).click();
    await page.getByRole('radio', { name: 'Chẩn đoán chính' }).first().waitFor();
    await page
      .getByLabel('Hướng điều trị')
      .fill(
        'Chụp CT ngực có cản quang; xét nghiệm AFB đờm 2 mẫu; hẹn hội chẩn lại sau khi có kết quả.',
      );
    await page.getByLabel('Chủ trì').selectOption({ label: names.specialist1 });
    await page.getByRole('button', { name: 'Ký biên bản' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã ký lúc' }).waitFor({ timeout: 20_000 });
    await shots.take(page, 'room-minutes-signed');
    await page.goto(`/consultations/${consultationId}/minutes`);
    await page.getByRole('heading', { name: 'Biên bản hội chẩn' }).waitFor();
    await page.getByText(`${names.specialist1} đã ký lúc`).waitFor();
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải PDF' }).click(),
    ]);
    const pdfPath = path.join(resultsDir, 'bien-ban.pdf');
    await pdf.saveAs(pdfPath);
    assert.equal(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1'), '%PDF-');
    const [fhir] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải FHIR JSON' }).click(),
    ]);
    const fhirPath = path.join(resultsDir, 'fhir-bundle.json');
    await fhir.saveAs(fhirPath);
    const bundle = JSON.parse(fs.readFileSync(fhirPath, 'utf8'));
    assert.equal(bundle.resourceType, 'Bundle');
    const condition = bundle.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Condition',
    );
    assert.equal(condition?.resource.code.coding[0].code, 'A16.2');
    await page.getByRole('list', { name: 'Chẩn đoán (ICD-10)' }).getByText('A16.2').waitFor();
    await shots.take(page, 'minutes');
    // A correction never alters the signed text: it becomes version 2, signed again.
    await page.getByRole('button', { name: 'Sửa đổi (phiên bản mới)' }).click();
    await page
      .getByRole('form', { name: 'Soạn biên bản' })
      .getByRole('button', { name: 'Sửa đổi (phiên bản mới)' })
      .click();
    await page
      .getByLabel('Kết luận')
      .fill('Nghi lao phổi; CT ngực để loại trừ u phổi (bổ sung sau hội chẩn).');
    await page.getByRole('button', { name: 'Ký biên bản' }).click();
    await page.getByRole('list', { name: 'Các phiên bản' }).getByRole('listitem').nth(1).waitFor();
    await page
      .getByText(/phiên bản 2/)
      .first()
      .waitFor();
    await page.getByText('bổ sung sau hội chẩn').first().waitFor();
    await shots.take(page, 'minutes-correction');
    await page.goto(`/consultations/${consultationId}`);
    await page.getByText('Hoàn thành').first().waitFor();
  });
});

describe('administration', () => {
  step('facilities, users, support links and the audit log with filters', async () => {
    const { page } = await person(browser, stack.webUrl);
    await signIn(page, ACCOUNTS.admin);
    await page.goto('/admin');
    await page
      .getByRole('table', { name: 'Cơ sở y tế' })
      .getByText('Bệnh viện Trung ương A')
      .first()
      .waitFor();
    await shots.take(page, 'admin-facilities');
    await page.getByRole('tab', { name: 'Người dùng' }).click();
    await page.getByRole('table', { name: 'Người dùng' }).getByText(ACCOUNTS.specialist1).waitFor();
    // Deactivate someone (they can no longer sign in), then reactivate them.
    const commune = page.getByRole('row').filter({ hasText: 'requester@commune-1.demo' });
    await commune.getByRole('button', { name: /^Khoá / }).click();
    await commune.getByText('đã khoá').waitFor();
    const refused = await fetch(`${stack.webUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'requester@commune-1.demo', password: PASSWORD }),
    });
    assert.equal(refused.status, 401);
    await shots.take(page, 'admin-users');
    await commune.getByRole('button', { name: /^Mở khoá / }).click();
    await commune.getByText('đang hoạt động').waitFor();
    await page.getByRole('tab', { name: 'Liên kết hỗ trợ' }).click();
    const supporter = page.getByLabel('Cơ sở hỗ trợ');
    const central = await supporter
      .locator('option', { hasText: 'Trung ương A' })
      .first()
      .textContent();
    await supporter.selectOption({ label: central!.trim() });
    await page
      .getByRole('list', { name: 'Liên kết hỗ trợ hiện có' })
      .getByRole('listitem')
      .first()
      .waitFor();
    await shots.take(page, 'admin-support-links');
    await page.getByRole('tab', { name: 'Nhật ký truy cập' }).click();
    await page.getByRole('table', { name: 'Nhật ký truy cập' }).getByRole('row').nth(1).waitFor();
    await page.getByLabel('Hành động').fill('auth.login');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await eventually(async () => {
      const actions = await page
        .getByRole('table', { name: 'Nhật ký truy cập' })
        .locator('tbody code')
        .allTextContents();
      return actions.length > 0 && actions.every((a) => a === 'auth.login');
    }, 'audit filtered by action');
    await shots.take(page, 'admin-audit');
    await page.context().close();
  });
});

describe('administration: edit forms, localized errors, pickers', () => {
  step(
    'facility and user edit forms; server field errors shown in Vietnamese next to the field',
    async () => {
      const { page } = await person(browser, stack.webUrl);
      pages.admin = page;
      await signIn(page, ACCOUNTS.admin);
      await page.goto('/admin');
      const n = Date.now() % 100000;
      const code = `TYT-E2E-${n}`;
      const name = `Trạm Y tế xã Thử ${n}`;
      const create = page.getByRole('form', { name: 'Thêm cơ sở' });
      await create.getByLabel('Mã').fill(code);
      await create.getByLabel('Tên').fill(name);
      await create.getByLabel('Tỉnh/thành').fill('Hà Nam');
      await create.getByLabel('Tuyến').selectOption({ label: 'Xã' });
      await create.getByRole('button', { name: 'Tạo' }).click();
      const row = page
        .getByRole('table', { name: 'Cơ sở y tế' })
        .getByRole('row')
        .filter({ hasText: code });
      await row.waitFor();
      // Edit: a name the API refuses (too short) → the Vietnamese message sits under the field,
      // the server's English text only inside the closed "details".
      await row.getByRole('button', { name: `Sửa cơ sở ${name}` }).click();
      const edit = page.getByRole('form', { name: `Sửa cơ sở ${code}` });
      await edit.getByLabel('Tên').fill('X');
      await edit.getByRole('button', { name: 'Lưu' }).click();
      await edit.getByText('Tên: từ 2 đến 300 ký tự.').waitFor();
      const alert = edit.getByRole('alert');
      await alert.getByText('Vui lòng sửa các trường được đánh dấu.').waitFor();
      const serverText = alert.locator('details code');
      assert.match((await serverText.textContent())!, /^400 · Invalid request/);
      assert.equal(
        await serverText.isVisible(),
        false,
        'server text hidden until details are opened',
      );
      await shots.take(page, 'admin-facility-edit-error');
      await alert.getByText('Chi tiết kỹ thuật (cho bộ phận hỗ trợ)').click();
      assert.equal(await serverText.isVisible(), true);
      await edit.getByLabel('Tên').fill(`${name} (sửa)`);
      await edit.getByLabel('Tỉnh/thành').fill('Ninh Bình');
      await edit.getByLabel('Tuyến').selectOption({ label: 'Huyện' });
      await edit.getByRole('button', { name: 'Lưu' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Đã lưu: ${name} (sửa)` })
        .waitFor();
      const edited = page
        .getByRole('table', { name: 'Cơ sở y tế' })
        .getByRole('row')
        .filter({ hasText: code });
      await edited.getByText('Ninh Bình').waitFor();
      await edited.getByText('Huyện', { exact: true }).waitFor();

      // A specialist without a licence number: the API says so; the form says it next to the field.
      await page.getByRole('tab', { name: 'Người dùng' }).click();
      const newUser = page.getByRole('form', { name: 'Thêm người dùng' });
      const email = `chuyengia${n}@e2e.demo`;
      await newUser.getByLabel('Họ và tên').fill(`BS. Thử Nghiệm ${n}`);
      await newUser.getByLabel('Email').fill(email);
      await newUser.getByLabel('Mật khẩu').fill('MatKhau#2026!');
      await newUser.getByLabel('Vai trò').selectOption({ label: 'Chuyên gia' });
      await newUser.getByLabel('Cơ sở').selectOption({ label: `${name} (sửa)` });
      await newUser.getByRole('button', { name: 'Tạo' }).click();
      await newUser.getByText(/^Số chứng chỉ hành nghề: 4–40 ký tự/).waitFor();
      assert.equal(
        await newUser.getByText('licenseNumber is required for specialists').isVisible(),
        false,
      );
      await shots.take(page, 'admin-user-field-error');
      await newUser.getByLabel('Số chứng chỉ hành nghề').fill(`00${n}/BYT-CCHN`);
      await newUser.getByRole('button', { name: 'Tạo' }).click();
      const userRow = page
        .getByRole('table', { name: 'Người dùng' })
        .getByRole('row')
        .filter({ hasText: email });
      await userRow.waitFor();
      // Edit roles, specialty, licence and active.
      await userRow.getByRole('button', { name: `Sửa tài khoản BS. Thử Nghiệm ${n}` }).click();
      const editUser = page.getByRole('form', { name: `Sửa tài khoản ${email}` });
      await editUser.getByRole('checkbox', { name: 'Bác sĩ yêu cầu' }).check();
      await editUser.getByLabel('Chuyên khoa').selectOption({ index: 1 });
      await editUser.getByLabel('Số chứng chỉ hành nghề').fill('');
      await editUser.getByRole('button', { name: 'Lưu' }).click();
      await editUser.getByText(/^Số chứng chỉ hành nghề: 4–40 ký tự/).waitFor();
      await editUser.getByLabel('Số chứng chỉ hành nghề').fill(`01${n}/BYT-CCHN`);
      await editUser.getByRole('checkbox', { name: 'Tài khoản đang hoạt động' }).uncheck();
      await editUser.getByRole('button', { name: 'Lưu' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Đã lưu: BS. Thử Nghiệm ${n}` })
        .waitFor();
      await userRow.getByText('đã khoá').waitFor();
      await userRow.getByText(/Bác sĩ yêu cầu/).waitFor();
      await shots.take(page, 'admin-user-edited');

      // Support links: refused upwards (field message), added downwards, then removed.
      await page.getByRole('tab', { name: 'Liên kết hỗ trợ' }).click();
      await page.getByLabel('Cơ sở hỗ trợ').selectOption({ label: `${name} (sửa)` });
      const centralA = (await page
        .getByLabel('Cơ sở được hỗ trợ')
        .locator('option', { hasText: 'Trung ương A' })
        .first()
        .textContent())!.trim();
      await page.getByLabel('Cơ sở được hỗ trợ').selectOption({ label: centralA });
      await page.getByRole('button', { name: 'Thêm liên kết hỗ trợ' }).click();
      await page
        .getByText(/^Cơ sở được hỗ trợ không hợp lệ: liên kết phải đi từ tuyến trên xuống/)
        .waitFor();
      await page.getByLabel('Cơ sở hỗ trợ').selectOption({ label: centralA });
      await page.getByLabel('Cơ sở được hỗ trợ').selectOption({ label: `${name} (sửa)` });
      await page.getByRole('button', { name: 'Thêm liên kết hỗ trợ' }).click();
      const links = page.getByRole('list', { name: 'Liên kết hỗ trợ hiện có' });
      await links.getByText(`${name} (sửa)`).waitFor();
      page.once('dialog', (d) => void d.accept());
      await links.getByRole('button', { name: `Bỏ liên kết hỗ trợ tới ${name} (sửa)` }).click();
      await links.getByText(`${name} (sửa)`).waitFor({ state: 'detached' });
    },
  );

  step(
    'audit log filtered by a person picked by name; patient search says what the API allows',
    async () => {
      const page = pages.admin ?? (await as('admin'));
      await apiLogin(ACCOUNTS.coordinator); // so the coordinator has audited actions even when this suite runs alone
      await page.goto('/admin');
      await page.getByRole('tab', { name: 'Nhật ký truy cập' }).click();
      await page
        .getByRole('searchbox', { name: 'Tìm người thực hiện' })
        .fill('central-a coordinator');
      const pick = page
        .getByRole('list', { name: 'Kết quả tìm người thực hiện' })
        .getByRole('button', { name: /coordinator@central-a\.demo/ });
      const label = (await pick.getAttribute('aria-label'))!;
      const actorName = label.replace(/^Chọn /, '').replace(/ \(.*$/, '');
      await pick.click();
      await page.getByRole('button', { name: /^Bỏ chọn / }).waitFor();
      await page.getByRole('button', { name: 'Lọc' }).click();
      await eventually(async () => {
        const rows = page.getByRole('table', { name: 'Nhật ký truy cập' }).locator('tbody tr');
        const actors = await rows.locator('td:nth-child(2)').allTextContents();
        return actors.length > 0 && actors.every((a) => a === actorName);
      }, 'audit filtered by the picked actor');
      // Admins may not search patients (GET /patients is for clinicians in scope): the picker says
      // so and takes a patient id; a pasted id becomes the filter.
      await page
        .getByText(/^Máy chủ chưa cho phép quản trị viên tìm người bệnh theo tên/)
        .waitFor();
      const somePatient = await page.evaluate(async () => {
        // The page keeps its access token in memory: take one through the refresh cookie.
        const auth = await (
          await fetch('/api/auth/refresh', {
            method: 'POST',
            headers: { 'x-caunoi-csrf': '1', 'content-type': 'application/json' },
            body: '{}',
          })
        ).json();
        const res = await fetch('/api/audit?limit=200', {
          headers: { authorization: `Bearer ${auth.accessToken}` },
        });
        const body = await res.json();
        return (
          (body.items as Array<{ patientId: string | null }>).find((e) => e.patientId)?.patientId ??
          null
        );
      });
      if (somePatient) {
        await page.getByRole('button', { name: /^Bỏ chọn / }).click(); // the actor: any actor
        await page.getByLabel('Mã người bệnh').fill(somePatient);
        await page.getByRole('button', { name: `Bỏ chọn ${somePatient}` }).waitFor();
        await page.getByRole('button', { name: 'Lọc' }).click();
        await eventually(async () => {
          const rows = await page
            .getByRole('table', { name: 'Nhật ký truy cập' })
            .locator('tbody tr')
            .count();
          const none = await page.getByText('Không có sự kiện phù hợp.').count();
          return rows > 0 && none === 0;
        }, 'audit filtered by the patient id');
      }
      await shots.take(page, 'admin-audit-pickers');
      await assertTranslated(page, 'admin audit', 'form.audit-filters');
      await assertNamedControls(page, 'admin audit');
      // The edit forms in English too.
      await page.getByLabel('Ngôn ngữ').first().selectOption('en');
      await page.getByRole('tab', { name: 'Users' }).click();
      await page
        .getByRole('button', { name: /^Edit account / })
        .first()
        .click();
      await page
        .getByRole('form', { name: /^Edit account / })
        .getByRole('checkbox', { name: 'Account active' })
        .waitFor();
      await assertTranslated(page, 'admin user edit (en)');
      await assertNamedControls(page, 'admin user edit (en)');
      await shots.take(page, 'admin-user-edit-en');
      await page.getByRole('tab', { name: 'Audit log' }).click();
      await page.getByRole('searchbox', { name: 'Find who acted' }).waitFor();
      // The filters only: the log itself lists action names ("minutes.sign") that look like keys.
      await assertTranslated(page, 'admin audit (en)', 'form.audit-filters');
      await page.context().close();
      delete pages.admin;
    },
  );
});

describe('coordinator: decline, reschedule and cancel', () => {
  step('a request is declined with a reason the requester can read', async () => {
    const page = await as('coordinator');
    await page.goto('/triage');
    const decline = page.getByRole('button', { name: /^Từ chối yêu cầu của / }).first();
    const label = (await decline.getAttribute('aria-label'))!;
    const name = label.replace('Từ chối yêu cầu của ', '');
    await decline.click();
    await page
      .getByRole('dialog')
      .getByLabel('Lý do')
      .fill('Ngoài phạm vi chuyên khoa; đề nghị chuyển bệnh viện chuyên khoa lao.');
    await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await page.getByRole('button', { name: label }).waitFor({ state: 'detached' });
    const requester = await as('requester');
    await requester.goto('/consultations');
    await requester
      .getByRole('link', { name: `Mở yêu cầu của ${name}` })
      .first()
      .click();
    await requester.getByText('Ngoài phạm vi chuyên khoa').first().waitFor();
    await requester.getByRole('list', { name: 'Lịch sử' }).getByText('Từ chối').waitFor();
    await shots.take(requester, 'request-declined');
  });

  step('suggestions outside published availability are flagged as such', async () => {
    const page = await as('coordinator');
    // An emergency at night: the API answers merely-unbooked times flagged outsideAvailability.
    // Which hour the suite runs at decides whether that happens for real, so the answer is stubbed.
    await page.route('**/api/scheduling/suggestions?*', async (route) => {
      const url = new URL(route.request().url());
      const at = Date.now() + 20 * 60_000;
      await route.fulfill({
        json: {
          urgency: url.searchParams.get('consultationId') ? 'emergency' : null,
          items: [
            {
              startsAt: new Date(at).toISOString(),
              endsAt: new Date(at + 45 * 60_000).toISOString(),
              outsideAvailability: true,
            },
          ],
        },
      });
    });
    if (consultationId) await page.goto(`/scheduling?consultationId=${consultationId}`);
    else {
      await page.goto('/scheduling');
      await page
        .getByLabel('Yêu cầu', { exact: true })
        .locator('option')
        .nth(1)
        .waitFor({ state: 'attached' });
      await page.getByLabel('Yêu cầu', { exact: true }).selectOption({ index: 1 });
    }
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Gợi ý khung giờ' }).click();
    const list = page.getByRole('list', { name: 'Khung giờ gợi ý' });
    await list.getByRole('button', { name: /\(ngoài lịch làm việc đã công bố\)$/ }).waitFor();
    await list.getByText('Ngoài lịch làm việc').waitFor();
    await page.getByText('Theo mức độ khẩn của yêu cầu (cấp cứu)').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'Không có khung giờ nào trong lịch làm việc' })
      .waitFor();
    await shots.take(page, 'scheduling-outside-availability');
    await page.unroute('**/api/scheduling/suggestions?*');
  });

  step('a booked session is moved to another time, then cancelled with a reason', async () => {
    const page = await as('coordinator');
    await page.goto('/scheduling');
    const table = page.getByRole('table', { name: 'Các phiên trong tuần' });
    const input = table.getByLabel(/^Giờ bắt đầu mới cho phiên /).last();
    await input.waitFor();
    const before = (await input.getAttribute('aria-label'))!.replace(
      'Giờ bắt đầu mới cho phiên ',
      '',
    );
    const current = await input.inputValue();
    const moved = new Date(Date.parse(`${current}:00Z`) + 2 * 3600_000).toISOString().slice(0, 16);
    await input.fill(moved);
    page.once('dialog', (d) => void d.accept());
    await input.blur();
    const after = `${moved.slice(8, 10)}/${moved.slice(5, 7)}/${moved.slice(0, 4)} ${moved.slice(11, 16)}`;
    await table.getByText(after).waitFor();
    await shots.take(page, 'scheduling-rescheduled');
    await table
      .getByRole('button', { name: new RegExp(`^Huỷ phiên ${after.replace(/[/]/g, '\\/')}`) })
      .click();
    await page.getByRole('dialog').getByLabel('Lý do').fill('Bệnh nhân chuyển viện');
    await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await table.getByText(after).waitFor({ state: 'detached' });
    assert.ok(before.length > 0);
  });
});
