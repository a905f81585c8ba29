/**
 * Recording across the real API and the real SFU (each is tested against a stand-in of the other in
 * its own suite): a session booked through the API whose patient granted recording consent, two
 * sites in the room from Chromium, the organising coordinator starts and stops the recording by
 * REST, the SFU records and delivers, and the API serves a track back as WebM, audited.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { writeSummary } from './support/summary.ts';
import { startStack, type Stack } from './support/stack.ts';
import { eventually, launch, person, PASSWORD, signIn } from './support/browser.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const RECORD_MS = 9_000;

interface Rows {
  rows: Record<string, unknown>[];
}
interface Pg {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Rows>;
  end(): Promise<void>;
}

let stack: Stack;
let browser: Browser;
let db: Pg;
let passed = false;

before(async () => {
  stack = await startStack({
    logsDir: path.join(here, '../test-results/logs-recording-live'),
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
  writeSummary('web-e2e-recording-live', { passed: passed ? 1 : 0, failed: passed ? 0 : 1 });
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
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') ? await res.json() : null, res };
}

const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];

test('two Chromium sites recorded by the real SFU, stored and played back by the real API', async () => {
  const user = async (email: string) =>
    (await one(`SELECT id FROM users WHERE email = $1`, [email])).id as string;
  const facility = async (code: string) =>
    (await one(`SELECT id FROM facilities WHERE code = $1`, [code])).id as string;
  const requesterId = await user('requester@district-1.demo');
  const specialistId = await user('specialist1@central-a.demo');
  const district = await facility('TTYT-H1');
  // An accepted request of a new patient: the API has no call that skips the review steps.
  const patient = await one(
    `INSERT INTO patients (facility_id, full_name, date_of_birth, sex, created_by)
     VALUES ($1, 'Lê Thị Ghi', '1961-03-02', 'female', $2) RETURNING id`,
    [district, requesterId],
  );
  const consultation = await one(
    `INSERT INTO consultations (patient_id, requesting_facility_id, requester_id, target_facility_id,
       specialty, urgency, summary, question, status, submitted_at)
     VALUES ($1, $2, $3, $4, 'hô hấp', 'urgent', 'Ho kéo dài', 'Xin hội chẩn', 'accepted', now())
     RETURNING id`,
    [patient.id, district, requesterId, await facility('BV-TW-A')],
  );
  const requester = await token('requester@district-1.demo');
  const coordinator = await token('coordinator@central-a.demo');
  const consent = await api(requester, 'POST', `/patients/${patient.id}/consents`, {
    kind: 'recording',
    granted: true,
  });
  assert.equal(consent.status, 201, JSON.stringify(consent.body));
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

  // Two sites in the room, each decoding the other's video.
  const pages: Page[] = [];
  for (const email of ['requester@district-1.demo', 'specialist1@central-a.demo']) {
    const { page } = await person(browser, stack.webUrl);
    page.on('pageerror', (e) => console.log(`[${email}] ${e.message}`));
    await signIn(page, email);
    await page.goto(`/sessions/${sessionId}`);
    await page.getByRole('button', { name: 'Vào phiên' }).click();
    pages.push(page);
  }
  for (const [i, page] of pages.entries())
    await eventually(
      async () =>
        page.evaluate(() =>
          [...document.querySelectorAll('video[aria-label^="Hình ảnh của"]')].some(
            (v) => (v as HTMLVideoElement).videoWidth > 0,
          ),
        ),
      `page ${i} decodes the other site`,
      60_000,
    );

  const started = await api(coordinator, 'POST', `/sessions/${sessionId}/recording/start`);
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const recordingId = started.body.id as string;
  await new Promise((r) => setTimeout(r, RECORD_MS));
  const stopped = await api(coordinator, 'POST', `/sessions/${sessionId}/recording/stop`);
  assert.equal(stopped.status, 200, JSON.stringify(stopped.body));

  const rec = await eventually(
    async () => {
      const r = await api(coordinator, 'GET', `/recordings/${recordingId}`);
      assert.notEqual(r.body?.status, 'failed', JSON.stringify(r.body));
      return r.body?.status === 'finished' ? r.body : false;
    },
    'the recording finished',
    90_000,
  );
  type Track = { index: number; kind: string; startOffset: number; endOffset: number };
  const tracks = rec.tracks as Track[];
  const video = tracks.filter((t) => t.kind === 'video');
  const audio = tracks.filter((t) => t.kind === 'audio');
  console.log(
    `[recording-live] ${RECORD_MS / 1000} s recorded → duration ${rec.durationSeconds} s, ` +
      `${rec.sizeBytes} bytes, tracks ${tracks
        .map((t) => `${t.index}:${t.kind} ${t.startOffset}–${t.endOffset} s`)
        .join(', ')}`,
  );
  assert.ok(video.length >= 2, `two video tracks, got ${video.length}`);
  assert.ok(audio.length >= 2, `two audio tracks, got ${audio.length}`);
  assert.ok(
    rec.durationSeconds >= 5 && rec.durationSeconds <= 30,
    `duration ${rec.durationSeconds}`,
  );
  for (const t of tracks) {
    const span = t.endOffset - t.startOffset;
    assert.ok(span >= 3 && span <= rec.durationSeconds + 1, `track ${t.index} spans ${span} s`);
  }
  assert.ok(rec.sizeBytes > 10_000, `size ${rec.sizeBytes}`);

  const file = await fetch(`${stack.apiUrl}/api/recordings/${recordingId}/tracks/0`, {
    headers: { authorization: `Bearer ${coordinator}` },
  });
  assert.equal(file.status, 200);
  const bytes = Buffer.from(await file.arrayBuffer());
  console.log(
    `[recording-live] track 0: ${bytes.length} bytes, ${file.headers.get('content-type')}`,
  );
  assert.deepEqual([...bytes.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'EBML (WebM) magic');
  assert.ok(bytes.length > 5_000, `track 0 is ${bytes.length} bytes`);

  // The audit is group-committed: the playback row appears shortly after the answer.
  await eventually(
    async () =>
      (
        await one(
          `SELECT count(*)::int AS n FROM audit_events WHERE action = 'recording.playback'
             AND patient_id = $1 AND details->>'recordingId' = $2`,
          [patient.id, recordingId],
        )
      ).n === 1,
    'a recording.playback audit row',
  );
  passed = true;
});
