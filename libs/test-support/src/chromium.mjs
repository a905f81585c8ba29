/**
 * How every test and benchmark starts headless Debian Chromium: fake camera and microphone, no
 * background throttling (several people share one browser), nothing phoning home.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Several people in one browser: keep background pages decoding at full rate.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/**
 * The flags, with the differences the suites need:
 * - `autoplay`: media elements play without a user gesture (pages driven by scripts only; the
 *   web app's own tests leave it off, as a real browser would).
 * - `allSimulcastLayers`: Chromium caps simulcast layers by capture size (640x480 gets only 2);
 *   the field trial lifts the cap so the fake 640x480 camera sends three layers. The web app
 *   captures 720p and must get its three layers without it.
 */
export function chromiumArgs(opts = {}) {
  const args = [...BASE_ARGS];
  if (opts.autoplay) args.push('--autoplay-policy=no-user-gesture-required');
  if (opts.allSimulcastLayers)
    args.push('--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/');
  return args;
}

/** Options for playwright's chromium.launch(). */
export function chromiumLaunchOptions(opts = {}) {
  return { executablePath: CHROMIUM_PATH, args: chromiumArgs(opts), headless: true };
}
