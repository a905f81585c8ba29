// The sites of the weak-link benchmark: the real web app in headless Chromium, one browser per
// site, joined to one room on the real SFU. The commune site loads the app, signals and sends
// media through the link emulator; the central sites are on clean loopback.
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '@caunoi/test-support';
import { SITE_SWITCH } from './cpu.mjs';

const LAUNCH = chromiumLaunchOptions({ autoplay: true });
const PASSWORD = process.env.DEMO_PASSWORD ?? 'CauNoi#2026';

/**
 * Before the page loads: the SFU's ICE candidates in every remote description the page sets,
 * pointed at the emulator — UDP to the relay port, TCP candidates removed (the weak site reaches
 * the SFU only through its line). In the page, at the RTCPeerConnection: the signalling itself
 * is left alone. (It used to be rewritten in the socket.io frames with Playwright's
 * `routeWebSocket`, which carries every frame of the socket through the benchmark's process
 * and back: two DevTools round trips per message, on a loaded machine, added to each step of
 * the join that waits for the SFU.)
 */
export async function pointCandidatesAtLine(page, udpPort) {
  await page.addInitScript((port) => {
    const rewrite = (sdp) =>
      sdp
        .split(/\r\n/)
        .filter((l) => !/^a=candidate:\S+ \d+ tcp /i.test(l))
        .map((l) =>
          l.replace(
            /^(a=candidate:\S+ \d+ udp \d+ )\S+ \d+( typ .*)$/i,
            (_, head, tail) => `${head}127.0.0.1 ${port}${tail}`,
          ),
        )
        .join('\r\n');
    const set = RTCPeerConnection.prototype.setRemoteDescription;
    RTCPeerConnection.prototype.setRemoteDescription = function (description, ...rest) {
      const d =
        description && typeof description.sdp === 'string'
          ? { type: description.type, sdp: rewrite(description.sdp) }
          : description;
      return set.call(this, d, ...rest);
    };
  }, udpPort);
}

/**
 * Before the page loads: the API's join answer, which crossed the line as it is, names the SFU
 * as the central sites reach it; in the weak site's page it is pointed at the line's own origin
 * (`/sfu/socket.io`, proxied by the web server), where a deployment's public address would be.
 * Rewritten in the page's `fetch`, not by Playwright's request routing: routing adds two DevTools
 * round trips to the request and turns the browser's HTTP cache off.
 */
async function pointSignallingAtLine(page, webOrigin) {
  await page.addInitScript((origin) => {
    const original = globalThis.fetch;
    globalThis.fetch = async function (input, init) {
      const res = await original.call(this, input, init);
      const url = typeof input === 'string' ? input : (input?.url ?? String(input));
      if (!res.ok || !/\/api\/sessions\/[^/]+\/join$/.test(new URL(url, location.href).pathname))
        return res;
      const body = await res.json();
      const moved = { ...body, sfuUrl: origin, sfuPath: '/sfu/socket.io' };
      return new Response(JSON.stringify(moved), { status: res.status, headers: res.headers });
    };
  }, webOrigin);
}

async function login(apiUrl, email) {
  const res = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  return (await res.json()).user;
}

/**
 * Opens one site: its own Chromium, signed in as one of the people booked into the run's session
 * (a real one: its details, join token and chat are the API's own answers).
 * `line`: { webOrigin, udpPort } of the emulated link, or null for a clean site.
 * `rememberedKbps`: the site had a weak session on this line before, whose downlink carried at
 * most this much (what the client's LinkMemory keeps in localStorage).
 */
export async function openSite({ stack, email, label, line, log, rememberedKbps, voice }) {
  const me = await login(stack.apiUrl, email);
  // `voice`: a WAV file the site's microphone plays instead of Chromium's beep (voices.mjs).
  const browser = await chromium.launch({
    ...LAUNCH,
    args: [
      ...LAUNCH.args,
      `${SITE_SWITCH}${label}`,
      ...(voice ? [`--use-file-for-fake-audio-capture=${voice}`] : []),
    ],
  });
  const origin = line?.webOrigin ?? stack.webUrl;
  const context = await browser.newContext({
    baseURL: origin,
    locale: 'vi-VN',
    viewport: { width: 1280, height: 800 },
    permissions: ['camera', 'microphone'],
  });
  if (rememberedKbps)
    await context.addInitScript((kbps) => {
      globalThis.localStorage.setItem('caunoi.link.lastVerdict', 'weak');
      globalThis.localStorage.setItem('caunoi.link.lastKbps', String(kbps));
    }, rememberedKbps);
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => log(`[${label}] page error: ${e.message}`));
  // Console errors of the weak site explain a join that never completes (CSP, signalling).
  if (line)
    page.on('console', (m) => {
      // With the address: "Failed to load resource" alone does not say which.
      if (m.type() === 'error')
        log(`[${label}] console: ${m.text().slice(0, 300)} ${m.location()?.url ?? ''}`);
    });
  if (line) {
    await pointCandidatesAtLine(page, line.udpPort);
    await pointSignallingAtLine(page, line.webOrigin);
  }
  const t0 = Date.now();
  await page.goto('/login');
  await page.getByRole('button', { name: /^(Đăng nhập|Sign in)$/ }).waitFor();
  const signInPageMs = Date.now() - t0;
  await page.getByLabel(/^(Email)$/).fill(email);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(PASSWORD);
  await page.getByRole('button', { name: /^(Đăng nhập|Sign in)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { label, me, browser, page, signInPageMs, log, close: () => browser.close() };
}

/**
 * Enters the room as a clinician does, from the app already open (its session list): an
 * in-app navigation, no page load. Resolves with the time from that navigation (the clock
 * includes the room's code if not yet fetched, the session's details and the device check)
 * to the first remote audio packets. Not `page.goto`: a page load a clinician does not do.
 */
export async function enterRoom(site, sessionId, { timeoutMs = 90_000 } = {}) {
  const { page } = site;
  await page.evaluate(() => performance.mark('bench:click')).catch(() => {});
  const t0 = Date.now();
  await navigateInApp(page, `/sessions/${sessionId}`);
  await page
    .getByRole('button', { name: 'Vào phiên' })
    .click()
    .catch(async (err) => {
      // Which site, and what its page showed instead of the join button.
      const shown = await page
        .evaluate(() => `${location.pathname}: ${document.body.innerText.slice(0, 400)}`)
        .catch((e) => String(e));
      site.log?.(`[${site.label}] no join button: ${JSON.stringify(shown)}`);
      throw err;
    });
  const deadline = t0 + timeoutMs;
  while (Date.now() < deadline) {
    const audio = await audioPackets(page);
    if (audio > 0) {
      const ms = Date.now() - t0;
      site.joinSteps = { ...(await joinSteps(page)), firstAudio: ms };
      return ms;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const state = await page
    .evaluate(() => {
      const s = window.__caunoiConference?.getSnapshot();
      return s ? { state: s.state, error: s.error, peers: s.peers?.length } : 'no conference';
    })
    .catch((e) => String(e));
  site.log?.(`[${site.label}] no remote audio after ${timeoutMs} ms: ${JSON.stringify(state)}`);
  return null;
}

/** Leaves the room for the session list (in the app), as a clinician would between calls. */
export async function leaveRoom(site) {
  await navigateInApp(site.page, '/my-sessions');
  await new Promise((r) => setTimeout(r, 1_500));
}

/** A link followed inside the single-page app (react-router listens to popstate). */
async function navigateInApp(page, to) {
  await page.evaluate((url) => {
    globalThis.history.pushState(null, '', url);
    globalThis.dispatchEvent(new globalThis.PopStateEvent('popstate'));
  }, to);
}

/** The client's `caunoi:<step>` performance marks (the latest of each), in ms after the click
 * (`prejoin-ready`: the device check's camera and microphone open, the join button enabled):
 * which step a slow join waited on. */
async function joinSteps(page) {
  return page
    .evaluate(() => {
      const click = performance.getEntriesByName('bench:click').at(-1)?.startTime ?? 0;
      const out = {};
      for (const m of performance.getEntriesByType('mark'))
        // This document's marks only (goto loads a new one): a negative value came before the click.
        if (m.name.startsWith('caunoi:')) out[m.name.slice(7)] = Math.round(m.startTime - click);
      // When the click came, after the page's navigation started (the load event before it).
      out.navToClick = Math.round(click);
      // The click on the wall clock, to set the steps beside the SFU's log.
      out.clickEpochMs = Math.round(performance.timeOrigin + click);
      // What the page fetched after the click that took ≥ 200 ms: [path (ids as :id), start,
      // request sent, first byte back, end] in ms; a late "request sent" is a request that
      // queued in the browser (no free connection), a late first byte the line or the server.
      const at = (t) => Math.round(t - click);
      out.fetches = performance
        .getEntriesByType('resource')
        .filter((r) => r.responseEnd >= click && r.duration >= 200)
        .map((r) => [
          new URL(r.name).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').slice(0, 48),
          at(r.startTime),
          at(r.requestStart),
          at(r.responseStart),
          at(r.responseEnd),
        ]);
      return out;
    })
    .catch(() => ({}));
}

async function audioPackets(page) {
  return page
    .evaluate(async () => {
      const stats = (await window.__caunoiConference?.receiverStats()) ?? [];
      return stats
        .filter((s) => s.kind === 'audio')
        .reduce((n, s) => n + (s.packetsReceived ?? 0), 0);
    })
    .catch(() => 0);
}

/** Everything the page receives, per remote peer and kind (cumulative counters). */
export async function receiverSample(page) {
  const stats = await page
    .evaluate(async () => (await window.__caunoiConference?.receiverStats()) ?? [])
    .catch(() => []);
  return { at: Date.now(), stats };
}

/**
 * What the commune's room shows of each remote site's camera (keyed by the site's label,
 * `siteOfUser`: user id → label): `video` (a tile playing), `held`
 * or `held-sfu` ("video paused to keep audio", by the client's policy or the SFU's governor),
 * `off` (camera off / nothing). A `video` tile that decodes
 * under 1 frame/s is a frozen tile: the thing the weak-link policy must never show.
 */
export async function tileStates(page, siteOfUser) {
  return page
    .evaluate((sites) => {
      const snap = window.__caunoiConference?.getSnapshot();
      return Object.fromEntries(
        (snap?.peers ?? []).map((p) => {
          const cams = p.tracks.filter((t) => t.kind === 'video' && t.source === 'camera');
          // `held-sfu`: paused by the SFU's governor (videoHeld); `held`: by the client's policy.
          const state = cams.some((t) => !t.paused)
            ? 'video'
            : cams.some((t) => t.heldBySfu)
              ? 'held-sfu'
              : cams.some((t) => t.heldForLink)
                ? 'held'
                : 'off';
          return [sites[p.userId] ?? p.id, state];
        }),
      );
    }, siteOfUser)
    .catch(() => ({}));
}
