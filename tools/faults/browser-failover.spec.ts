// What a clinician sees when the SFU node of their conference dies. The launched system with two
// API instances and two SFU nodes (`SFU_NODES=2 API_INSTANCES=2 npm start`, real Redis) and a
// third node started here, unsupervised (its kill -9 is a lost host, not a restart). Two sites in
// Chromium (fake camera and microphone) join one session through the web app and are placed on
// that third node; it is killed. Both pages must show that they are reconnecting, move to another
// node without a reload and decode each other's video again, chat and the shared document still
// there. The time until video is back is printed (`[measured]`), bounded only by 60 s.
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { Client } from 'pg';
import { labReportPdf } from '@caunoi/test-support';
import {
  eventually,
  launch,
  person,
  signIn as signInPage,
} from '../../apps/web/e2e/support/browser';
import { attach, bookedCase, call, signIn, type People } from './support/cluster-rest';
import { framesDecodedSince, installProbe, pageHistory } from './support/room-probe';
import { freePort, measured, root, secondsSince, Stack, until } from './support/stack';

jest.setTimeout(300_000);
const REDIS_URL = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379';
const SITES = [
  { email: 'coordinator@central-a.demo', who: 'coordinator' },
  { email: 'requester@district-1.demo', who: 'requester' },
] as const;

describe('an SFU node dies under two browsers in a conference', () => {
  let stack: Stack;
  let browser: Browser;
  let lost: ChildProcess;
  let lostUrl = '';
  let admin = '';
  const prefix = `caunoi-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    const sfuPort = await freePort(2); // SFU_NODES=2: the second node on the next port
    const lostPort = await freePort();
    lostUrl = `http://localhost:${lostPort}`;
    // The page may open signalling to every node, the unsupervised one too (Content-Security-Policy).
    const origins = [sfuPort, sfuPort + 1, lostPort].flatMap((p) => [
      `http://localhost:${p}`,
      `ws://localhost:${p}`,
    ]);
    stack = await Stack.spawn(
      {
        API_INSTANCES: '2',
        SFU_NODES: '2',
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        CSP_CONNECT_SRC: origins.join(' '),
      },
      { sfu: sfuPort },
    );
    await stack.waitForLog(/is running/, 180_000);
    admin = (await signIn(stack.api, 'admin@caunoi.demo')).token;
    const secrets = stack.secrets;
    lost = spawn(process.execPath, [path.join(root, 'apps/sfu/dist/main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        SFU_PORT: String(lostPort),
        SFU_RTC_PORT: String(await freePort()),
        SFU_WORKERS: '1',
        SFU_ANNOUNCED_ADDRESS: '127.0.0.1',
        JOIN_TOKEN_PUBLIC_KEY: secrets.JOIN_TOKEN_PUBLIC_KEY,
        SFU_SERVICE_TOKEN: secrets.SFU_SERVICE_TOKEN,
        API_URL: stack.api,
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        SFU_NODE_ID: 'sfu-lost',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    let seen: unknown = [];
    await until(
      async () => (seen = await nodeIds()).join() === 'sfu-1,sfu-2,sfu-lost',
      30_000,
      () => `the three nodes never announced themselves: ${JSON.stringify(seen)}`,
    );
    browser = await launch();
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    lost?.kill('SIGKILL');
    stack?.cleanup();
  });

  const nodeIds = async () =>
    ((await call(stack.api, 'GET', '/api/sfu-nodes', admin)).body.items ?? []).map((n) => n.id);
  const drain = async (id: string, draining: boolean) =>
    expect(
      (await call(stack.api, 'PUT', `/api/sfu-nodes/${id}/drain`, admin, { draining })).status,
    ).toBe(200);
  const placement = async (sessionId: string): Promise<string | null> => {
    const db = new Client({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${stack.ports.pg}/caunoi`,
    });
    await db.connect();
    try {
      const r = await db.query('SELECT node_id FROM session_placements WHERE session_id = $1', [
        sessionId,
      ]);
      return r.rows[0]?.node_id ?? null;
    } finally {
      await db.end();
    }
  };

  it('both sites see "reconnecting", then decode each other again on another node, without a reload', async () => {
    const people: People = {
      coordinator: await signIn(stack.api, SITES[0].email),
      requester: await signIn(stack.api, SITES[1].email),
    };
    // Starts in a minute: the room is open (15 min before the start), no clash with the demo data.
    const { sessionId, consultationId } = await bookedCase(
      stack.api,
      people,
      1,
      Date.now() + 60_000,
    );
    await attach(
      stack.api,
      people.requester.token,
      consultationId,
      'xet-nghiem.pdf',
      labReportPdf(),
      'application/pdf',
    );

    // Placed on the third node: the two others are drained while the sites join.
    await drain('sfu-1', true);
    await drain('sfu-2', true);
    const pages: Page[] = [];
    const joinUrls: string[][] = [[], []];
    const sockets: { url: string; at: number }[][] = [[], []];
    const joinAt: number[][] = [[], []];
    try {
      for (const [i, site] of SITES.entries()) {
        const { page } = await person(browser, `http://127.0.0.1:${stack.ports.web}`);
        page.on('pageerror', (e) => console.log(`[${site.who}] ${e.message}`));
        page.on('response', async (r) => {
          if (r.request().method() === 'POST' && r.url().endsWith(`/sessions/${sessionId}/join`)) {
            const at = Date.now();
            const body = (await r.json().catch(() => ({}))) as { sfuUrl?: string };
            joinUrls[i].push(body.sfuUrl!);
            joinAt[i].push(at);
          }
        });
        // Signalling websockets: which node each page talks to, and from when.
        page.on('websocket', (ws) => sockets[i].push({ url: ws.url(), at: Date.now() }));
        await installProbe(page);
        await signInPage(page, site.email);
        await page.goto(`/sessions/${sessionId}`);
        await page.getByRole('button', { name: 'Vào phiên' }).click();
        pages.push(page);
      }
      for (const page of pages) await connected(page, 60_000);
    } finally {
      await drain('sfu-1', false);
      await drain('sfu-2', false);
    }
    expect(joinUrls.map((u) => u[0])).toEqual([lostUrl, lostUrl]);
    expect(await placement(sessionId)).toBe('sfu-lost');
    for (const [i, page] of pages.entries()) await decoding(page, 0, `${SITES[i].who} at first`);

    // Chat and the shared document, to find again after the failover.
    const [coordinator, requester] = pages;
    const line = `Trước khi mất máy chủ media ${randomBytes(3).toString('hex')}`;
    await requester.getByRole('textbox', { name: 'Tin nhắn' }).fill(line);
    await requester.getByRole('button', { name: 'Gửi' }).click();
    await requester.getByLabel('Tài liệu').selectOption({ label: 'xet-nghiem.pdf' });
    await requester.getByRole('button', { name: 'Trình chiếu cho mọi người' }).click();
    await requester.getByText('Bạn đang trình chiếu').waitFor();
    const shared = async () => {
      for (const page of pages) {
        await page.getByRole('list', { name: 'Các tin nhắn' }).getByText(line).waitFor();
        await page.getByRole('img', { name: 'Trang PDF 1' }).waitFor({ timeout: 20_000 });
      }
      await coordinator.getByText(/^Đang xem theo /).waitFor();
    };
    await shared();
    const loadedAt = await Promise.all(pages.map(async (p) => (await pageHistory(p, 0)).loadedAt));
    const duringGap = `Trong lúc mất hình ${randomBytes(3).toString('hex')}`;

    const killedAt = Date.now();
    lost.kill('SIGKILL');
    let goneAt = 0;
    void until(
      async () => !(await nodeIds()).includes('sfu-lost') && (goneAt = Date.now()),
      60_000,
      'the dead node stayed in the registry',
    ).catch(() => undefined);
    // Chat goes through the API, not the dead node: it keeps working while media is away.
    await coordinator.getByRole('textbox', { name: 'Tin nhắn' }).fill(duringGap);
    await coordinator.getByRole('button', { name: 'Gửi' }).click();
    // Video is back on a page once a connection opened after the kill decodes frames.
    const backAt: (number | null)[] = [null, null];
    await until(
      async () => {
        for (const [i, page] of pages.entries())
          if (backAt[i] === null && (await framesDecodedSince(page, killedAt)) > 0)
            backAt[i] = Date.now();
        return backAt.every((t) => t !== null);
      },
      60_000,
      () =>
        `video not back within 60 s: back at ${JSON.stringify(backAt)}, joins ${JSON.stringify(joinUrls)}`,
      250,
    );
    for (const [i, page] of pages.entries())
      await decoding(page, killedAt, `${SITES[i].who} after the kill`);
    for (const page of pages) await connected(page, 30_000);

    const moved = await placement(sessionId);
    expect(['sfu-1', 'sfu-2']).toContain(moved);
    // Each page asked the API again and followed its answer: signalling to the new node.
    const newUrl = joinUrls[0][joinUrls[0].length - 1];
    expect(newUrl).not.toBe(lostUrl);
    expect(joinUrls[1][joinUrls[1].length - 1]).toBe(newUrl);
    const newHost = new URL(newUrl).host;
    for (const opened of sockets)
      expect(opened.some((w) => w.at > killedAt && new URL(w.url).host === newHost)).toBe(true);
    const history = await Promise.all(pages.map((p) => pageHistory(p, killedAt)));
    for (const [i, h] of history.entries()) {
      expect(h.loadedAt).toBe(loadedAt[i]); // the same document: no reload
      expect(h.bannerAt).not.toBeNull(); // "Mất kết nối. Đang kết nối lại…" was shown
    }
    await shared();
    for (const page of pages)
      await page.getByRole('list', { name: 'Các tin nhắn' }).getByText(duringGap).waitFor();
    measured('browser: SFU node kill -9 under two Chromium sites', {
      nodeGoneFromRegistryAfterS: goneAt ? secondsSince(killedAt, goneAt) : null,
      newNodeNamedAfterS: joinUrls.map((u, i) =>
        secondsSince(killedAt, joinAt[i][u.findIndex((x, k) => k > 0 && x === newUrl)]),
      ),
      videoBackAfterS: backAt.map((t) => secondsSince(killedAt, t!)),
      bannerAfterS: history.map((h) => secondsSince(killedAt, h.bannerAt!)),
      movedTo: moved,
      joinsPerSite: joinUrls.map((u) => u.length),
    });
  });
});

async function connected(page: Page, timeout: number): Promise<void> {
  await page
    .getByRole('status', { name: 'Trạng thái kết nối' })
    .filter({ hasText: 'Đã kết nối' })
    .waitFor({ timeout });
}

/** Frames decoded on the connections opened after `since`, and more of them a moment later. */
async function decoding(page: Page, since: number, what: string): Promise<void> {
  const first = await eventually(
    async () => (await framesDecodedSince(page, since)) || false,
    `${what}: decodes video`,
    60_000,
  );
  await eventually(
    async () => (await framesDecodedSince(page, since)) > first,
    `${what}: video keeps decoding`,
    20_000,
  );
}
