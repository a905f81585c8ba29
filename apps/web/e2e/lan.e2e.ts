/**
 * LAN mode, as a commune's tablet meets it: `PUBLIC_URL=https://caunoi.test:<port> npm start`
 * (the launcher itself, built apps, a fresh database) serves web, REST, the sockets and SFU
 * signalling on one HTTPS origin with a certificate from the local CA it created in the data
 * folder. Chromium resolves caunoi.test to 127.0.0.1 and trusts that CA (by its SPKI hash), so
 * the origin is a secure context: two people sign in, join a booked session with camera and
 * microphone and decode each other's video.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { writeSummary } from './support/summary.ts';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, eventually, person, signIn } from './support/browser.ts';
import { freePort, ROOT } from './support/stack.ts';
import { spkiHash } from '../../../tools/lib/tls.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg') as typeof import('pg');
const here = path.dirname(fileURLToPath(import.meta.url));
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `caunoi_lan_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-lan-'));
const logsDir = path.join(here, '../test-results/logs-lan');

let launcher: ChildProcess;
let browser: Browser;
let origin = '';
let out = '';
let passed = false;

async function sql(text: string): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

before(async () => {
  const [api, sfu, rtc, web] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  origin = `https://caunoi.test:${web}`;
  await sql(`CREATE DATABASE ${dbName}`);
  const db = new URL(serverUrl);
  db.pathname = `/${dbName}`;
  launcher = spawn(process.execPath, [path.join(ROOT, 'tools/start.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SKIP_BUILD: 'true',
      CAUNOI_DATA_DIR: dataDir,
      DATABASE_URL: db.toString(),
      PUBLIC_URL: origin,
      PORT: String(api),
      SFU_PORT: String(sfu),
      SFU_RTC_PORT: String(rtc),
      SFU_WORKERS: '1',
      HOST: '127.0.0.1',
      SFU_HOST: '127.0.0.1',
      SFU_LISTEN_IP: '127.0.0.1',
      // caunoi.test exists only in the browser's resolver: the media address is said explicitly.
      SFU_ANNOUNCED_ADDRESS: '127.0.0.1',
      LOGIN_MAX_ATTEMPTS: '50',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout!.on('data', (b) => (out += b));
  launcher.stderr!.on('data', (b) => (out += b));
  await eventually(
    async () => {
      if (launcher.exitCode !== null) throw new Error(`launcher exited:\n${out.slice(-3000)}`);
      return out.includes('is running');
    },
    'the launcher to start',
    180_000,
  );
  const ca = fs.readFileSync(path.join(dataDir, 'tls/ca.crt'), 'utf8');
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--host-resolver-rules=MAP caunoi.test 127.0.0.1',
      `--ignore-certificate-errors-spki-list=${spkiHash(ca)}`,
    ],
  });
});

after(async () => {
  await browser?.close();
  if (launcher && launcher.exitCode === null) {
    const exited = new Promise((r) => launcher.once('exit', r));
    launcher.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (launcher.exitCode === null) launcher.kill('SIGKILL');
  }
  fs.mkdirSync(logsDir, { recursive: true });
  fs.writeFileSync(path.join(logsDir, 'launcher.log'), out);
  await sql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
  writeSummary('web-e2e-lan', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
});

/** GET over TLS from Node, naming the server caunoi.test, with or without trusting the CA. */
function tlsGet(port: number, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: '/', servername: 'caunoi.test', ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

/** REST as `email`, from inside the page (the browser is what trusts the local CA). */
async function rest(page: Page, email: string, method: string, url: string, body?: unknown) {
  return page.evaluate(
    async ({ email, method, url, body }) => {
      // credentials: 'omit' — the sign-in cookie of this page must stay the person's own.
      const login = await fetch('/api/auth/login', {
        method: 'POST',
        credentials: 'omit',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'CauNoi#2026' }),
      }).then((r) => r.json());
      const res = await fetch(url, {
        method,
        credentials: 'omit',
        headers: {
          authorization: `Bearer ${login.accessToken}`,
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json(), me: login.user };
    },
    { email, method, url, body },
  );
}

test('PUBLIC_URL=https://caunoi.test npm start: secure context, camera and microphone, remote video decoded', async () => {
  const port = Number(new URL(origin).port);
  const ca = fs.readFileSync(path.join(dataDir, 'tls/ca.crt'), 'utf8');
  // The launcher printed how to trust the CA, and announced the media address.
  assert.match(out, /Trust it once on every phone, tablet and PC/);
  assert.match(out, /Media\s+127\.0\.0\.1 \(SFU_ANNOUNCED_ADDRESS\)/);
  // A real certificate chain for caunoi.test under the local CA; untrusted without it.
  assert.equal(await tlsGet(port, ca), 200);
  await assert.rejects(tlsGet(port), /self-signed|unable to (get|verify)/i);

  const people = ['requester@district-1.demo', 'specialist1@central-a.demo'];
  const pages: Page[] = [];
  const compressed: string[] = [];
  for (const email of people) {
    const { page } = await person(browser, origin);
    page.on('response', (r) => {
      if (/\/assets\/index-.*\.js$/.test(r.url()) && r.headers()['content-encoding'] === 'br')
        compressed.push(r.url());
    });
    await signIn(page, email);
    assert.deepEqual(await page.evaluate(() => [location.protocol, window.isSecureContext]), [
      'https:',
      true,
    ]);
    pages.push(page);
  }
  assert.ok(compressed.length >= 1, 'the client script came brotli-compressed');
  // The CA is offered for download on the origin (what a phone opens to trust it).
  assert.equal(
    await pages[0].evaluate(() => fetch('/ca.crt').then((r) => r.text())),
    ca.replace(/\n*$/, '\n'),
  );
  const ids: string[] = [];
  const names: string[] = [];
  for (const [i, email] of people.entries()) {
    const { me } = await rest(pages[i], email, 'GET', '/api/auth/me');
    ids.push(me.id as string);
    names.push(me.fullName as string);
  }

  // The coordinator books the accepted demo request of district 1 with both, starting soon.
  const list = await rest(
    pages[0],
    'coordinator@central-a.demo',
    'GET',
    '/api/consultations?role=target&status=accepted',
  );
  const items = (Array.isArray(list.body) ? list.body : list.body.items) as { id: string }[];
  assert.ok(items.length > 0, `an accepted request: ${JSON.stringify(list).slice(0, 300)}`);
  const start = new Date(Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000);
  const booked = await rest(pages[0], 'coordinator@central-a.demo', 'POST', '/api/sessions', {
    consultationIds: [items[0].id],
    participantIds: ids,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(),
  });
  assert.equal(booked.status, 201, JSON.stringify(booked.body));
  const sessionId = booked.body.id as string;

  for (const page of pages) {
    await page.goto(`/sessions/${sessionId}`);
    const join = page.waitForResponse((r) => r.url().endsWith(`/api/sessions/${sessionId}/join`));
    await page.getByRole('button', { name: 'Vào phiên' }).click();
    const body = await (await join).json();
    assert.deepEqual([body.sfuUrl, body.sfuPath], [origin, '/sfu/socket.io'], JSON.stringify(body));
  }
  for (const [i, page] of pages.entries()) {
    await page
      .getByRole('status', { name: 'Trạng thái kết nối' })
      .filter({ hasText: 'Đã kết nối' })
      .waitFor({ timeout: 60_000 });
    const other = `Hình ảnh của ${names[1 - i]}`;
    await eventually(
      () =>
        page.evaluate((label) => {
          const v = document.querySelector(
            `video[aria-label="${label}"]`,
          ) as HTMLVideoElement | null;
          return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;
        }, other),
      `page ${i} decodes ${other}`,
      60_000,
    );
    // Its own camera and microphone were granted and are live (only in a secure context).
    const live = await page.evaluate(async () => {
      const s = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const kinds = s.getTracks().map((t) => `${t.kind}:${t.readyState}`);
      s.getTracks().forEach((t) => t.stop());
      return kinds.sort();
    });
    assert.deepEqual(live, ['audio:live', 'video:live']);
  }
  passed = true;
});
