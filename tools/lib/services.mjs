// What `npm start` runs: the ports it reads from the environment and the API, SFU and web
// children as the supervisor's service specs (command, environment, readiness check).
import path from 'node:path';
import { httpsReady } from './lan.mjs';

/** Ports from the environment (README's configuration table), with the demo defaults. */
export function portsFrom(env) {
  return {
    web: Number(env.WEB_PORT ?? 8080),
    api: Number(env.PORT ?? env.API_PORT ?? 3000),
    sfu: Number(env.SFU_PORT ?? 4000),
    rtc: Number(env.SFU_RTC_PORT ?? 40000),
    pg: Number(env.EMBEDDED_PG_PORT ?? 5433),
  };
}

/** 2xx from `url` means ready. */
export function httpReady(url) {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  };
}

/**
 * The three application children. None depends on another being alive once started: the SFU
 * forwards media without the API, and the web server answers 502 for /api while the API is away.
 */
export function appServices({
  root,
  env,
  ports,
  dataDir,
  databaseUrl,
  migrationUrl,
  secrets,
  lan,
}) {
  const pick = (k) => env[k] ?? secrets[k];
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const node = (name, script, childEnv, readyUrl) => ({
    name,
    command: process.execPath,
    args: [path.join(root, script)],
    cwd: root,
    env: childEnv,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 2_000,
    ready: httpReady(readyUrl),
  });
  const common = {
    ...env,
    NODE_ENV: env.NODE_ENV ?? 'production',
    SFU_SERVICE_TOKEN: pick('SFU_SERVICE_TOKEN'),
  };
  const apps = {
    api: node(
      'api',
      'apps/api/dist/main.js',
      {
        ...common,
        PORT: String(ports.api),
        DATABASE_URL: databaseUrl,
        DATABASE_MIGRATION_URL: migrationUrl,
        SEED_DEMO: env.SEED_DEMO ?? 'true', // the demo seeds itself; compose leaves this off
        // This is the demo launcher: seeding the published demo accounts under NODE_ENV=production
        // is what it is for (the API refuses otherwise), and they have no authenticator app.
        SEED_DEMO_FORCE: env.SEED_DEMO_FORCE ?? 'true',
        MFA_REQUIRED_ROLES: env.MFA_REQUIRED_ROLES ?? 'none',
        API_DOCS: env.API_DOCS ?? 'true',
        AUTH_JWT_SECRET: pick('AUTH_JWT_SECRET'),
        STORAGE_KEY: env.STORAGE_KEY_FILE ? undefined : pick('STORAGE_KEY'),
        JOIN_TOKEN_PRIVATE_KEY: env.JOIN_TOKEN_PRIVATE_KEY_FILE
          ? undefined
          : pick('JOIN_TOKEN_PRIVATE_KEY'),
        // PUBLIC_URL: clients reach the SFU through the web origin (/sfu/socket.io); else its own port.
        SFU_PUBLIC_URL:
          env.SFU_PUBLIC_URL ?? (env.PUBLIC_URL ? undefined : `http://localhost:${ports.sfu}`),
        ATTACHMENTS_DIR: env.ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments'),
        // Where the API tells the SFU to close a session's room when it ends.
        SFU_INTERNAL_URL: env.SFU_INTERNAL_URL ?? `http://127.0.0.1:${ports.sfu}`,
      },
      `${apiUrl}/health`,
    ),
    sfu: node(
      'sfu',
      'apps/sfu/dist/main.js',
      {
        ...common,
        SFU_PORT: String(ports.sfu),
        SFU_RTC_PORT: String(ports.rtc),
        API_URL: apiUrl,
        SFU_ANNOUNCED_ADDRESS: env.SFU_ANNOUNCED_ADDRESS ?? lan?.media.address ?? undefined,
        JOIN_TOKEN_PUBLIC_KEY: env.JOIN_TOKEN_PUBLIC_KEY_FILE
          ? undefined
          : pick('JOIN_TOKEN_PUBLIC_KEY'),
      },
      `http://127.0.0.1:${ports.sfu}/health`,
    ),
    web: node(
      'web',
      'apps/web/server/serve.mjs',
      {
        ...common,
        WEB_PORT: String(ports.web),
        API_URL: apiUrl,
        SFU_INTERNAL_URL: env.SFU_INTERNAL_URL ?? `http://127.0.0.1:${ports.sfu}`,
        TLS_CERT_FILE: lan?.tls?.certFile ?? env.TLS_CERT_FILE,
        TLS_KEY_FILE: lan?.tls?.keyFile ?? env.TLS_KEY_FILE,
        TLS_CA_FILE: lan?.tls?.caFile ?? undefined,
        // The page's Content-Security-Policy lets it connect to the SFU's own port (no PUBLIC_URL).
        SFU_PUBLIC_URL:
          env.SFU_PUBLIC_URL ?? (env.PUBLIC_URL ? undefined : `http://localhost:${ports.sfu}`),
      },
      `http://127.0.0.1:${ports.web}/`,
    ),
  };
  if (lan?.tls) apps.web.ready = httpsReady(ports.web, lan.tls.caFile);
  return apps;
}
