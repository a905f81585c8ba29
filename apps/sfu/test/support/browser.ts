import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from '@caunoi/test-support';
import type { ConsumerStats, JoinOptions } from './page/participant';

/**
 * Real WebRTC peers for tests: headless Debian Chromium with a fake camera and microphone,
 * running mediasoup-client (bundled with esbuild) from a page served by a local HTTP server.
 *
 *   const h = await startBrowserHarness();
 *   const alice = await h.newPeer();            // one page (one browser context) per peer
 *   await alice.join({ url: sfu.url, token });
 *   await waitFor(async () => (await alice.stats()).some((s) => s.framesDecoded > 0));
 *   await h.close();
 */
// Pages driven by scripts (autoplay) and a fake 640x480 camera that must send three layers.
const LAUNCH = chromiumLaunchOptions({ autoplay: true, allSimulcastLayers: true });
export const CHROMIUM_PATH = LAUNCH.executablePath;

let bundlePromise: Promise<string> | undefined;

/** Bundle test/support/page/participant.ts for the browser (once per process, ~0.3 s). */
export function bundleParticipant(): Promise<string> {
  bundlePromise ??= build({
    entryPoints: [path.join(__dirname, 'page/participant.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then((r) => r.outputFiles[0]!.text);
  return bundlePromise;
}

export class PeerPage {
  constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly name: string,
  ) {}

  join(
    opts: JoinOptions,
  ): Promise<{ peerId: string; resumed: boolean; peers: unknown[]; producers: unknown[] }> {
    return this.page.evaluate((o) => (window as any).participant.join(o), opts);
  }

  /** Admission only; resolves 'connected' or the refusal's JSON. */
  connect(opts: JoinOptions): Promise<string> {
    return this.page.evaluate(
      (o) =>
        (window as any).participant.connect(o).then(
          () => 'connected',
          (e: Error) => e.message,
        ),
      opts,
    );
  }

  paths(): Promise<{ direction: string; state: string; localCandidate?: string }[]> {
    return this.page.evaluate(() => (window as any).participant.paths());
  }

  iceServersSeen(): Promise<RTCIceServer[]> {
    return this.page.evaluate(() => (window as any).participant.iceServersSeen);
  }

  stats(): Promise<ConsumerStats[]> {
    return this.page.evaluate(() => (window as any).participant.stats());
  }

  events(): Promise<Array<{ at: number; event: string; data: any }>> {
    return this.page.evaluate(() => (window as any).participant.events);
  }

  /** Signalling requests the page sent, by name. */
  sent(): Promise<Record<string, number>> {
    return this.page.evaluate(() => (window as any).participant.sent);
  }

  peerId(): Promise<string | undefined> {
    return this.page.evaluate(() => (window as any).participant.peerId);
  }

  request<T = unknown>(name: string, data?: unknown): Promise<T> {
    return this.page.evaluate(([n, d]) => (window as any).participant.request(n, d), [
      name,
      data,
    ] as const) as Promise<T>;
  }

  setPreferredLayers(spatialLayer: number, temporalLayer?: number): Promise<unknown> {
    return this.page.evaluate(([s, t]) => (window as any).participant.setPreferredLayers(s, t), [
      spatialLayer,
      temporalLayer,
    ] as const);
  }

  setProducerPaused(source: string, paused: boolean): Promise<void> {
    return this.page.evaluate(([s, p]) => (window as any).participant.setProducerPaused(s, p), [
      source,
      paused,
    ] as const);
  }

  setAudioOnly(enabled: boolean): Promise<unknown> {
    return this.page.evaluate((e) => (window as any).participant.setAudioOnly(e), enabled);
  }

  shareScreen(): Promise<string> {
    return this.page.evaluate(() => (window as any).participant.shareScreen());
  }

  restartIce(): Promise<void> {
    return this.page.evaluate(() => (window as any).participant.restartIce());
  }

  producerCodecs(): Promise<Record<string, string | undefined>> {
    return this.page.evaluate(() => (window as any).participant.producerCodecs());
  }

  canSend(mimeType: string): Promise<boolean> {
    return this.page.evaluate((m) => (window as any).participant.canSend(m), mimeType);
  }

  leave(): Promise<void> {
    return this.page.evaluate(() => (window as any).participant.leave());
  }

  dropSocket(): Promise<void> {
    return this.page.evaluate(() => (window as any).participant.dropSocket());
  }

  /** Live video consumers (one per remote camera) with their decoded frame counts. */
  mediaIds(): Promise<{ send?: string; recv?: string; consumers: string[]; socketId?: string }> {
    return this.page.evaluate(() => (window as any).participant.mediaIds());
  }

  async video(): Promise<ConsumerStats[]> {
    return (await this.stats()).filter((s) => s.kind === 'video' && !s.closed);
  }

  async audio(): Promise<ConsumerStats[]> {
    return (await this.stats()).filter((s) => s.kind === 'audio' && !s.closed);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

export interface BrowserHarness {
  browser: Browser;
  pageUrl: string;
  newPeer(name?: string): Promise<PeerPage>;
  close(): Promise<void>;
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const bundle = await bundleParticipant();
  const html =
    '<!doctype html><meta charset="utf-8"><title>caunoi sfu test peer</title><body><script src="/participant.js"></script></body>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/participant.js')
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (req.url === '/' || req.url?.startsWith('/?'))
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // chromium.launch() always starts from a new temporary user-data-dir (Playwright refuses a
  // --user-data-dir argument); each peer gets its own browser context.
  const browser = await chromium.launch({ ...LAUNCH, timeout: 60_000 });
  let n = 0;
  return {
    browser,
    pageUrl,
    async newPeer(name = `peer${++n}`) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      const page = await context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`[${name}] page error: ${err.message}\n`));
      await page.goto(pageUrl);
      await page.waitForFunction(() => !!(window as any).participant);
      return new PeerPage(page, context, name);
    },
    async close() {
      await browser.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
