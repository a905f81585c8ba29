/**
 * A training room in the browser against the real SFU, with the API's session endpoints stubbed
 * in the page (join tokens signed here with the stack's key, `kind: "training"`): the presenter
 * and one site. The site joins without sending (the SFU would refuse it), raises its hand, the
 * presenter sees the queue and gives the floor, and the site's camera reaches the presenter;
 * taking the floor back stops it.
 */
import { after, before, test } from 'node:test';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { writeSummary } from './support/summary.ts';
import { startStack, type Stack } from './support/stack.ts';
import { eventually, launch, person, Shots, signIn } from './support/browser.ts';
import { signedInUser, stubJoin } from './support/stub-room.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const shots = new Shots(path.join(here, '../test-results/screenshots-training'));

let stack: Stack;
let browser: Browser;
const sessionId = randomUUID();
let passed = false;

before(async () => {
  stack = await startStack({ logsDir: path.join(here, '../test-results/logs-training') });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  writeSummary('web-e2e-training', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
});

/** Signs in and enters the training room; `presenter` marks the presenter's join token. */
async function enter(email: string, site: string, presenter: boolean) {
  const { page } = await person(browser, stack.webUrl);
  page.on('pageerror', (e) => console.log(`[${site}] ${e.message}`));
  await signIn(page, email);
  const me = await signedInUser(page);
  const now = Date.now();
  await page.route(`**/api/sessions/${sessionId}`, (r) =>
    r.fulfill({
      json: {
        id: sessionId,
        title: 'Đào tạo: đọc phim X-quang ngực',
        kind: 'training',
        status: 'in_progress',
        organiserFacilityId: null,
        presenterId: presenter ? me.id : null,
        openToNetwork: false,
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        consultationIds: [],
        consultations: [],
        participants: [],
      },
    }),
  );
  await stubJoin(
    page,
    stack,
    sessionId,
    me,
    { id: me.facilityId!, name: site },
    { kind: 'training', presenter },
  );
  await page.route(`**/api/sessions/${sessionId}/messages`, (r) => r.fulfill({ json: [] }));
  await page.route(`**/api/sessions/${sessionId}/recordings`, (r) =>
    r.fulfill({ json: { items: [] } }),
  );
  await page.goto(`/sessions/${sessionId}`);
  await page.getByRole('button', { name: 'Vào phiên' }).click();
  await page
    .getByRole('status', { name: 'Trạng thái kết nối' })
    .filter({ hasText: 'Đã kết nối' })
    .waitFor({ timeout: 40_000 });
  return { page, name: me.fullName as string };
}

const decodes = (page: Page, label: string) =>
  page.evaluate((l) => {
    const v = document.querySelector(`video[aria-label="${l}"]`) as HTMLVideoElement | null;
    return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;
  }, label);

test('raise hand → grant: the site reaches the presenter; take back: it stops', async () => {
  const presenter = await enter('specialist1@central-a.demo', 'Bệnh viện Trung ương A', true);
  const site = await enter('requester@district-1.demo', 'Trung tâm Y tế huyện 1', false);

  // The site sees the presenter; the presenter sees no video from the site.
  await eventually(
    () => decodes(site.page, `Hình ảnh của ${presenter.name}`),
    'site decodes the presenter',
    45_000,
  );
  await site.page.getByText('2 người trong phòng').waitFor();
  const siteVideo = presenter.page.locator(`video[aria-label="Hình ảnh của ${site.name}"]`);
  if ((await siteVideo.count()) !== 0) throw new Error('the site sends before it has the floor');

  await site.page.getByRole('button', { name: 'Giơ tay xin phát biểu' }).click();
  const queue = presenter.page.getByRole('list', { name: 'Hàng chờ phát biểu' });
  await queue.getByText(site.name).waitFor();
  await shots.take(presenter.page, 'training-hand-raised');
  await queue.getByRole('button', { name: 'Cho phát biểu' }).click();

  await eventually(
    () => decodes(presenter.page, `Hình ảnh của ${site.name}`),
    "presenter decodes the site's camera after the grant",
    45_000,
  );
  await shots.take(presenter.page, 'training-floor-granted');

  await presenter.page.getByRole('button', { name: /^Thu hồi quyền phát biểu của/ }).click();
  await eventually(
    async () => (await siteVideo.count()) === 0,
    "the site's video is gone after the floor is taken back",
  );
  await site.page.getByRole('button', { name: 'Giơ tay xin phát biểu' }).waitFor();
  passed = true;
});
