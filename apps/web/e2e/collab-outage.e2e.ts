/**
 * The collaboration link through an API outage, in a real browser against the real API: the API
 * is stopped gracefully (it disconnects every socket, as on a deploy) while the requester is in
 * the room. The page says the server is unavailable and keeps retrying; a chat line written
 * meanwhile waits, is delivered once the API is back, without a reload, and stored exactly once.
 * Then a line written while the API is down survives leaving the page (it is kept in
 * localStorage) and is delivered exactly once when the room is opened again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launch, person, signIn, PASSWORD } from './support/browser.ts';
import { runSql, startStack, type Stack } from './support/stack.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const REQUESTER = 'requester@district-1.demo';

let stack: Stack;
let browser: Browser;
let token = '';
let sessionId = '';

before(async () => {
  stack = await startStack({ logsDir: path.join(here, '../test-results/logs/collab-outage') });
  browser = await launch();
  const login = await fetch(`${stack.apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: REQUESTER, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  token = ((await login.json()) as { accessToken: string }).accessToken;
  // The demo seed's session "in progress now" with the district requester, moved to cover the
  // whole test whatever the hour the stack was seeded.
  const now = Date.now();
  const from = new Date(now - 12 * 3600_000).toISOString();
  const to = new Date(now + 12 * 3600_000).toISOString();
  const res = await fetch(`${stack.apiUrl}/api/sessions?from=${from}&to=${to}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const list = ((await res.json()) as { items: Array<{ id: string; status: string }> }).items;
  const live =
    list.find((s) => s.status === 'in_progress') ?? list.find((s) => s.status === 'scheduled');
  assert.ok(live, `a demo session for ${REQUESTER}: ${JSON.stringify(list).slice(0, 300)}`);
  sessionId = live.id;
  await runSql(
    stack.dbUrl,
    `UPDATE sessions SET starts_at = now() - interval '5 minutes', ends_at = now() + interval '55 minutes'
      WHERE id = '${sessionId}'`,
  );
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Times a chat line with this text is stored for the session. */
async function storedCount(text: string): Promise<number> {
  const res = await fetch(`${stack.apiUrl}/api/sessions/${sessionId}/messages`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { items: Array<{ text: string }> };
  return body.items.filter((m) => m.text === text).length;
}

async function enterRoom(page: Page): Promise<void> {
  await page.goto(`/sessions/${sessionId}`);
  await page.getByRole('button', { name: 'Vào phiên' }).click();
  await page
    .getByRole('status', { name: 'Trạng thái kết nối' })
    .filter({ hasText: 'Đã kết nối' })
    .waitFor({ timeout: 40_000 });
}

function chat(page: Page) {
  const panel = page.getByRole('region', { name: 'Trò chuyện' });
  return {
    log: panel.getByRole('list', { name: 'Các tin nhắn' }),
    async send(text: string) {
      await panel.getByRole('textbox', { name: 'Tin nhắn' }).fill(text);
      await panel.getByRole('button', { name: 'Gửi' }).click();
    },
  };
}

const unavailable = (page: Page) =>
  page.getByRole('status').filter({ hasText: 'Máy chủ tạm thời không phản hồi, đang thử lại' });

test('a chat line written while the API is stopped is delivered once when it is back, without reload', async () => {
  const { page } = await person(browser, stack.webUrl);
  await signIn(page, REQUESTER);
  await enterRoom(page);
  const c = chat(page);
  await c.send('Trước khi mất kết nối');
  await c.log.getByText('Trước khi mất kết nối').waitFor();
  assert.equal(await storedCount('Trước khi mất kết nối'), 1);

  await stack.stopApi();
  await unavailable(page).waitFor({ timeout: 20_000 });
  const text = `Gửi khi máy chủ dừng ${Date.now()}`;
  await c.send(text);
  // Waiting, shown as such, kept for a reload.
  await c.log.locator('li.pending').filter({ hasText: text }).waitFor();
  const kept = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('caunoi.collab.outbox.')),
  );
  assert.equal(kept.length, 1, 'the pending line is in localStorage');

  await stack.startApi();
  // Delivered without a reload: the pending mark goes, the line stays, the banner clears.
  await c.log.locator('li.pending').filter({ hasText: text }).waitFor({
    state: 'detached',
    timeout: 60_000,
  });
  await c.log.getByText(text).waitFor();
  await unavailable(page).waitFor({ state: 'detached', timeout: 20_000 });
  assert.equal(await storedCount(text), 1, 'stored exactly once');
  assert.equal(
    await page.evaluate(() =>
      Object.keys(localStorage).some((k) => k.startsWith('caunoi.collab.outbox.')),
    ),
    false,
    'nothing left in the outbox',
  );
  await page.context().close();
});

test('a chat line pending when the page is left is delivered once when the room is opened again', async () => {
  const { page } = await person(browser, stack.webUrl);
  await signIn(page, REQUESTER);
  await enterRoom(page);
  const c = chat(page);
  await stack.stopApi();
  await unavailable(page).waitFor({ timeout: 20_000 });
  const text = `Chờ qua tải lại trang ${Date.now()}`;
  await c.send(text);
  await c.log.locator('li.pending').filter({ hasText: text }).waitFor();
  // Leave the page while the line is pending (a reload, a closed tab), then the API returns.
  await page.goto('about:blank');
  await stack.startApi();
  assert.equal(await storedCount(text), 0, 'not delivered while the page was gone');
  await enterRoom(page);
  await c.log.getByText(text).waitFor({ timeout: 30_000 });
  await c.log.locator('li.pending').filter({ hasText: text }).waitFor({ state: 'detached' });
  assert.equal(await storedCount(text), 1, 'stored exactly once');
  await page.context().close();
});
