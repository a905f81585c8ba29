/**
 * The recording playback page in Chromium: three camera tracks starting at different offsets and
 * a microphone, real WebM files made by ffmpeg, served in place of the API's recording routes
 * (what the SFU and API store is tested in their own suites). The tracks must play in sync on one
 * time line, a track wait for its start, a seek move them all, the chat follow the position.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { writeSummary } from './support/summary.ts';
import { startStack, type Stack } from './support/stack.ts';
import { eventually, launch, person, signIn } from './support/browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-playback-'));
const DURATION = 20;
const tracks = [
  { index: 0, kind: 'video', startOffset: 0, endOffset: 20, displayName: 'BS. Trung ương' },
  { index: 1, kind: 'video', startOffset: 2, endOffset: 20, displayName: 'BS. Huyện' },
  { index: 2, kind: 'video', startOffset: 5, endOffset: 15, displayName: 'Trạm xã' },
  { index: 3, kind: 'audio', startOffset: 0, endOffset: 20, displayName: 'BS. Trung ương' },
];
const recordingId = randomUUID();
let stack: Stack;
let browser: Browser;
let page: Page;
let passed = 0;
let failed = 0;

function makeTrack(t: (typeof tracks)[number]): Buffer {
  const file = path.join(dir, `track-${t.index}.webm`);
  const seconds = String(t.endOffset - t.startOffset);
  const input =
    t.kind === 'video'
      ? ['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=15:duration=${seconds}`]
      : ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`];
  const codec =
    t.kind === 'video'
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k']
      : ['-c:a', 'libopus'];
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...input, ...codec, file]);
  return fs.readFileSync(file);
}

before(async () => {
  const files = tracks.map(makeTrack);
  stack = await startStack({ logsDir: path.join(here, '../test-results/logs-playback') });
  browser = await launch();
  ({ page } = await person(browser, stack.webUrl));
  page.on('pageerror', (e) => console.log(`[playback] ${e.message}`));
  await signIn(page, 'specialist1@central-a.demo');
  const startedAt = new Date(Date.now() - 3600_000).toISOString();
  await page.route(`**/api/recordings/${recordingId}`, (r) =>
    r.fulfill({
      json: {
        id: recordingId,
        sessionId: randomUUID(),
        consultationIds: [],
        status: 'finished',
        startedAt,
        endedAt: startedAt,
        startedBy: { id: randomUUID(), fullName: 'Điều phối viên' },
        durationSeconds: DURATION,
        sizeBytes: 1,
        sha256: 'a'.repeat(64),
        failureReason: null,
        consentWithdrawn: false,
        tracks: tracks.map((t) => ({
          ...t,
          trackId: `p${t.index}`,
          source: t.kind === 'video' ? 'camera' : 'mic',
          site: 'Cơ sở',
          codec: t.kind === 'video' ? 'video/VP8' : 'audio/opus',
          fileName: `track-${t.index}.webm`,
          sha256: 'b'.repeat(64),
          sizeBytes: files[t.index]!.length,
          mediaType: `${t.kind}/webm`,
        })),
      },
    }),
  );
  await page.route(`**/api/recordings/${recordingId}/chat`, (r) =>
    r.fulfill({
      json: {
        items: [
          { at: startedAt, offset: 1, author: 'BS. Huyện', text: 'Chào các anh chị' },
          { at: startedAt, offset: 14, author: 'Trạm xã', text: 'Đã rõ, cảm ơn' },
        ],
      },
    }),
  );
  await page.route(`**/api/recordings/${recordingId}/tracks/*`, (r) => {
    const n = Number(r.request().url().split('/').pop());
    return r.fulfill({ body: files[n]!, contentType: `${tracks[n]!.kind}/webm` });
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  writeSummary('web-e2e-playback', { passed, failed });
});

/** Every media element's time against the page's clock (seconds on the recording's time line). */
async function sample() {
  return page.evaluate(() => {
    const position = Number(
      document.querySelector('[data-testid="position"]')!.getAttribute('data-position'),
    );
    const media = [...document.querySelectorAll<HTMLMediaElement>('[data-track]')].map((el) => ({
      track: Number(el.dataset.track),
      currentTime: el.currentTime,
      paused: el.paused,
    }));
    return { position, media };
  });
}

test('the tracks play in sync on one time line, wait for their start, seek together; the chat follows', async () => {
  try {
    await page.goto(`/recordings/${recordingId}`);
    await page.getByRole('button', { name: 'Phát', exact: true }).click();
    // At ~3 s: tracks 0, 1 and the audio play at position − offset; track 2 (from 5 s) waits.
    const early = await eventually(async () => {
      const s = await sample();
      return s.position > 3 ? s : null;
    }, 'position past 3 s');
    for (const m of early.media) {
      const t = tracks[m.track]!;
      if (early.position < t.startOffset) {
        assert.equal(m.paused, true, `track ${m.track} waits for its start`);
        continue;
      }
      assert.equal(m.paused, false, `track ${m.track} plays`);
      const drift = Math.abs(m.currentTime + t.startOffset - early.position);
      assert.ok(drift < 0.6, `track ${m.track} drift ${drift.toFixed(2)} s at ${early.position}`);
    }
    // The late track starts at 5 s, in step with the others.
    const later = await eventually(async () => {
      const s = await sample();
      return s.position > 7 ? s : null;
    }, 'position past 7 s');
    const videos = later.media.filter((m) => tracks[m.track]!.kind === 'video');
    assert.equal(videos.length, 3);
    for (const m of videos) {
      assert.equal(m.paused, false, `track ${m.track} plays at ${later.position}`);
      const drift = Math.abs(m.currentTime + tracks[m.track]!.startOffset - later.position);
      assert.ok(drift < 0.6, `track ${m.track} drift ${drift.toFixed(2)} s`);
    }
    await assert.doesNotReject(page.getByText('Chào các anh chị').waitFor());
    assert.equal(await page.getByText('Đã rõ, cảm ơn').count(), 0);
    // Seek to 14.5 s: every track jumps there together; the chat of 14 s appears.
    await page.getByTestId('seek').fill('14.5');
    const sought = await eventually(async () => {
      const s = await sample();
      return s.position >= 14.4 && s.position < 16 ? s : null;
    }, 'position at the seek');
    for (const m of sought.media) {
      const t = tracks[m.track]!;
      if (sought.position >= t.endOffset) continue;
      const drift = Math.abs(m.currentTime + t.startOffset - sought.position);
      assert.ok(drift < 0.6, `after seek, track ${m.track} drift ${drift.toFixed(2)} s`);
    }
    await page.getByText('Đã rõ, cảm ơn').waitFor();
    // Track 2 ends at 15 s: it stops while the others go on.
    const end = await eventually(async () => {
      const s = await sample();
      return s.position > 16 ? s : null;
    }, 'position past 16 s');
    assert.equal(end.media.find((m) => m.track === 2)!.paused, true);
    assert.equal(end.media.find((m) => m.track === 0)!.paused, false);
    passed = 1;
  } catch (err) {
    failed = 1;
    throw err;
  }
});
