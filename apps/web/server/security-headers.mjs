// Response headers of the web origin: a strict Content-Security-Policy for the single-page client
// and the usual hardening headers. Kept apart from serving and proxying so each can change alone;
// deploy/nginx.conf sends the same policy (tools/test/web-server.spec.ts compares them).

/** Origins (and their websocket form) the page may connect to besides its own. */
function connectSources(env) {
  if (env.CSP_CONNECT_SRC) return env.CSP_CONNECT_SRC.split(/\s+/).filter(Boolean);
  // Without PUBLIC_URL the SFU listens on its own port (SFU_PUBLIC_URL): signalling goes there.
  if (!env.SFU_PUBLIC_URL) return [];
  const sfu = new URL(env.SFU_PUBLIC_URL);
  const ws = sfu.protocol === 'https:' ? 'wss:' : 'ws:';
  return [sfu.origin, `${ws}//${sfu.host}`];
}

/**
 * The page's policy: scripts, workers and styles only from this origin (no inline script, no
 * eval; WebAssembly compilation allowed for the viewers' codecs), images and media also from
 * blob:/data: (decoded DICOM frames, local previews, camera tracks), nothing may frame the app.
 */
export function contentSecurityPolicy(env = process.env) {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...connectSources(env)].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(env = process.env, secure = false) {
  return {
    'content-security-policy': contentSecurityPolicy(env),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    // Camera, microphone and screen capture for this origin only.
    'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self)',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
