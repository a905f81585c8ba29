/** Headless Debian Chromium with a fake camera and microphone, one context per person. */
import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { chromiumArgs, chromiumLaunchOptions } from '@caunoi/test-support';

// The web app captures 720p, so it gets three simulcast layers without the field trial the SFU
// tests use; and it plays media like a real browser would (no autoplay flag).
export { CHROMIUM_PATH } from '@caunoi/test-support';
export const CHROMIUM_ARGS = chromiumArgs();

export const PASSWORD = process.env.DEMO_PASSWORD ?? 'CauNoi#2026';

export async function launch(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/** A signed-out person in their own browser context; `extra` e.g. `{ hasTouch: true }`. */
export async function person(
  browser: Browser,
  baseURL: string,
  extra: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    locale: 'vi-VN',
    viewport: { width: 1360, height: 860 },
    acceptDownloads: true,
    permissions: ['camera', 'microphone'],
    ...extra,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { context, page };
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/^(Email)$/).fill(email);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(Đăng nhập|Sign in)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export class Shots {
  readonly dir: string;
  readonly taken: string[] = [];
  constructor(dir: string) {
    this.dir = dir;
    fs.mkdirSync(dir, { recursive: true });
  }
  async take(page: Page, name: string): Promise<string> {
    const file = path.join(
      this.dir,
      `${String(this.taken.length + 1).padStart(2, '0')}-${name}.png`,
    );
    await page.screenshot({ path: file, fullPage: false });
    this.taken.push(file);
    return file;
  }
}

/** Poll a condition in Node until it holds (for things that happen over the network). */
export async function eventually<T>(
  fn: () => Promise<T | false | null | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/**
 * Each person signs in at their own site and enters the session's room, in order; with
 * `connected`, each waits until the room says it is connected before the next one enters;
 * `contextOf` gives a person's device more (e.g. `{ hasTouch: true }`).
 */
export async function enterRoom(
  browser: Browser,
  baseURL: string,
  sessionId: string,
  emails: string[],
  opts: { connected?: boolean; contextOf?: (email: string) => BrowserContextOptions } = {},
): Promise<Page[]> {
  const pages: Page[] = [];
  for (const email of emails) {
    const { page } = await person(browser, baseURL, opts.contextOf?.(email));
    page.on('pageerror', (e) => console.log(`[${email}] ${e.message}`));
    await signIn(page, email);
    await page.goto(`/sessions/${sessionId}`);
    await page.getByRole('button', { name: 'Vào phiên' }).click();
    if (opts.connected)
      await page
        .getByRole('status', { name: 'Trạng thái kết nối' })
        .filter({ hasText: 'Đã kết nối' })
        .waitFor({ timeout: 60_000 });
    pages.push(page);
  }
  return pages;
}
