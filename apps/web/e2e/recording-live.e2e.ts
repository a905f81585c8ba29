/**
 * Recording across the real API and the real SFU (each is tested against a stand-in of the other in
 * its own suite): a session booked through the API whose patient granted recording consent, two
 * sites in the room from Chromium, the organising coordinator starts and stops the recording by
 * REST, the SFU records and delivers, and the API serves a track back as WebM, audited.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, enterRoom } from './support/browser.ts';
import { COORDINATOR, REQUESTER, roomSuite, SPECIALIST } from './support/case.ts';

const RECORD_MS = 9_000;
const s = roomSuite('recording-live');

test('two Chromium sites recorded by the real SFU, stored and played back by the real API', async () => {
  const { kit } = s;
  const { api, one } = kit;
  // An accepted request of a new patient who granted recording consent.
  const patientId = await kit.districtPatient('Lê Thị Ghi', '1961-03-02', 'female');
  const consultationId = await kit.acceptedRequest(patientId, 'Ho kéo dài');
  const requester = await kit.token(REQUESTER);
  const coordinator = await kit.token(COORDINATOR);
  await kit.consent(requester, patientId, 'recording');
  const sessionId = await kit.bookNow(coordinator, consultationId);

  // Two sites in the room, each decoding the other's video.
  const pages = await enterRoom(s.browser, s.stack.webUrl, sessionId, [REQUESTER, SPECIALIST]);
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

  const file = await fetch(`${s.stack.apiUrl}/api/recordings/${recordingId}/tracks/0`, {
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
          [patientId, recordingId],
        )
      ).n === 1,
    'a recording.playback audit row',
  );
  s.passed = true;
});
