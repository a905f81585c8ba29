/**
 * The media plane of the session room against the real SFU, with the API's session endpoints
 * stubbed in the browser (join tokens signed here with the stack's key). Isolates the web
 * client's mediasoup handling from the API's scheduling; the golden path covers the real thing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { writeSummary } from './support/summary.ts';
import { startStack, type Stack } from './support/stack.ts';
import { eventually, launch, person, Shots, signIn } from './support/browser.ts';
import { signedInUser, stubJoin } from './support/stub-room.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = new Shots(path.join(here, '../test-results/screenshots-room'));

let stack: Stack;
let browser: Browser;
const sessionId = randomUUID();
const people = [
  { key: 'a', email: 'requester@district-1.demo' },
  { key: 'b', email: 'specialist1@central-a.demo' },
  { key: 'c', email: 'specialist2@central-a.demo' },
];
const pages: Page[] = [];
const names: string[] = [];

before(async () => {
  stack = await startStack({ logsDir: path.join(here, '../test-results/logs-room') });
  browser = await launch();
});
let passed = false;
after(async () => {
  await browser?.close();
  await stack?.stop();
  writeSummary('web-e2e-room', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
});

/** The page reloaded and the room entered again: the client's join marks once connected. */
async function enterAgain(page: Page): Promise<string[]> {
  await page.reload();
  await page.getByRole('button', { name: 'Vào phiên' }).click();
  await page
    .getByRole('status', { name: 'Trạng thái kết nối' })
    .filter({ hasText: 'Đã kết nối' })
    .waitFor({ timeout: 40_000 });
  return page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
}

/** Whether the page hears at least one other site. */
async function hearsSomeone(page: Page): Promise<boolean> {
  const stats = await page.evaluate(
    async () => (await window.__caunoiConference?.receiverStats()) ?? [],
  );
  return stats.some((s) => s.kind === 'audio' && (s.totalAudioEnergy ?? 0) > 0);
}

test('three sites join the room, decode each other, see camera off and a shared screen', async () => {
  for (const p of people) {
    const { page } = await person(browser, stack.webUrl);
    page.on('pageerror', (e) => console.log(`[${p.key}] ${e.message}`));
    await signIn(page, p.email);
    // The access token is in page memory only; the refresh cookie answers with the signed-in user.
    const me = await signedInUser(page);
    names.push(me.fullName);
    const now = Date.now();
    await page.route(`**/api/sessions/${sessionId}`, (r) =>
      r.fulfill({
        json: {
          id: sessionId,
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 3600_000).toISOString(),
          consultationIds: [],
          participants: [],
        },
      }),
    );
    await stubJoin(page, stack, sessionId, me, { id: me.facilityId!, name: `Site ${p.key}` });
    await page.route(`**/api/sessions/${sessionId}/messages`, (r) => r.fulfill({ json: [] }));
    await page.goto(`/sessions/${sessionId}`);
    await page.getByRole('button', { name: 'Vào phiên' }).click();
    pages.push(page);
  }
  for (const [i, page] of pages.entries()) {
    await page
      .getByRole('status', { name: 'Trạng thái kết nối' })
      .filter({ hasText: 'Đã kết nối' })
      .waitFor({ timeout: 40_000 });
    const others = names.filter((_, j) => j !== i).map((n) => `Hình ảnh của ${n}`);
    await eventually(
      async () =>
        page.evaluate(
          (labels) =>
            labels.every((l) => {
              const v = document.querySelector(
                `video[aria-label="${l}"]`,
              ) as HTMLVideoElement | null;
              return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;
            }),
          others,
        ),
      `page ${i} decodes ${others.join(', ')}`,
      45_000,
    );
    await eventually(async () => {
      const stats = await page.evaluate(
        async () => (await window.__caunoiConference?.receiverStats()) ?? [],
      );
      return (
        new Set(
          stats
            .filter((s) => s.kind === 'audio' && (s.totalAudioEnergy ?? 0) > 0)
            .map((s) => s.peerId),
        ).size >= 2
      );
    }, `page ${i} hears two others`);
  }
  await shots.take(pages[0], 'room-three-sites');
  // Mute and camera off reach the others.
  await pages[0].getByRole('button', { name: 'Tắt camera' }).click();
  await eventually(
    async () =>
      (await pages[1].locator(`video[aria-label="Hình ảnh của ${names[0]}"]`).count()) === 0,
    'camera off seen by others',
  );
  await shots.take(pages[1], 'room-camera-off');
  // Screen share: Chromium's fake capture stands in for a screen.
  await pages[0].getByRole('button', { name: 'Chia sẻ màn hình' }).click();
  await eventually(
    async () =>
      pages[1].evaluate((l) => {
        const v = document.querySelector(`video[aria-label="${l}"]`) as HTMLVideoElement | null;
        return !!v && v.videoWidth > 0;
      }, `Màn hình do ${names[0]} chia sẻ`),
    'screen share seen by others',
    30_000,
  );
  await shots.take(pages[1], 'room-screen-share');
  await pages[0].getByRole('button', { name: 'Dừng chia sẻ' }).click();
  await eventually(
    async () =>
      (await pages[1].locator(`video[aria-label="Màn hình do ${names[0]} chia sẻ"]`).count()) === 0,
    'screen share stopped',
  );
  // Audio only (weak link): no video either way for that site, sound keeps flowing.
  await pages[2].getByRole('button', { name: 'Chỉ âm thanh', exact: true }).click();
  await eventually(
    async () => (await pages[2].locator('video[aria-label^="Hình ảnh của"]').count()) === 0,
    'audio-only site shows no remote video',
  );
  await eventually(
    async () =>
      (await pages[1].locator(`video[aria-label="Hình ảnh của ${names[2]}"]`).count()) === 0,
    'others see the audio-only site without video',
  );
  const before = await pages[2].evaluate(async () =>
    (await window.__caunoiConference!.receiverStats())
      .filter((s) => s.kind === 'audio')
      .reduce((n, s) => n + s.bytesReceived, 0),
  );
  await eventually(async () => {
    const now = await pages[2].evaluate(async () =>
      (await window.__caunoiConference!.receiverStats())
        .filter((s) => s.kind === 'audio')
        .reduce((n, s) => n + s.bytesReceived, 0),
    );
    return now > before;
  }, 'audio keeps flowing in audio-only mode');
  await shots.take(pages[2], 'room-audio-only');
  await pages[2].getByRole('button', { name: 'Chỉ âm thanh', exact: true }).click();
  await eventually(
    async () =>
      pages[1].evaluate((l) => {
        const v = document.querySelector(`video[aria-label="${l}"]`) as HTMLVideoElement | null;
        return !!v && v.videoWidth > 0;
      }, `Hình ảnh của ${names[2]}`),
    'video back after audio-only',
    30_000,
  );
  // A warm rejoin (the page reloaded): the Device is loaded from the router capabilities kept at
  // the first join and the join goes in the handshake — the SFU pushes no capabilities and
  // answers with `joined`; the site decodes and hears the others again.
  const again = pages[1];
  const steps = await enterAgain(again);
  assert.ok(steps.includes('caunoi:joined'), `join marks: ${steps.join(', ')}`);
  assert.ok(!steps.includes('caunoi:capabilities'), `join marks: ${steps.join(', ')}`);
  await eventually(
    async () =>
      again.evaluate((l) => {
        const v = document.querySelector(`video[aria-label="${l}"]`) as HTMLVideoElement | null;
        return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;
      }, `Hình ảnh của ${names[2]}`),
    'the reloaded site decodes the third site again (the first has its camera off)',
    30_000,
  );
  await eventually(() => hearsSomeone(again), 'the reloaded site hears the others again');
  // Kept capabilities the router no longer has (an SFU reconfigured or upgraded meanwhile): the
  // SFU takes no join from the handshake and sends its own; the site joins the usual way.
  const stale = pages[2];
  await stale.evaluate(() => {
    const key = 'caunoi.sfu.routerCapabilities';
    const kept = JSON.parse(localStorage.getItem(key)!);
    kept.caps.headerExtensions = kept.caps.headerExtensions.slice(0, -1);
    localStorage.setItem(key, JSON.stringify(kept));
  });
  const staleSteps = await enterAgain(stale);
  assert.ok(staleSteps.includes('caunoi:capabilities'), `join marks: ${staleSteps.join(', ')}`);
  await eventually(() => hearsSomeone(stale), 'the site with stale capabilities hears the others');
  // And the capabilities it keeps now are the router's again: those the SFU took a join with.
  const kept = (page: Page) =>
    page.evaluate(() => JSON.parse(localStorage.getItem('caunoi.sfu.routerCapabilities')!).caps);
  assert.deepEqual(await kept(stale), await kept(again));
  passed = true;
});
