// A local coturn for `npm start` when TURN_SECRET is set and Debian's `turnserver` is installed
// (and no TURN_URLS points elsewhere): clients behind a firewall that drops direct media reach
// the SFU through it, with the time-limited credentials the API and SFU hand out.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Private and special ranges a relay must never reach (the hospital LAN, link-local, CGNAT…). */
export const DENIED_PEER_RANGES = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '::1',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

export function turnserverInstalled() {
  return spawnSync('turnserver', ['--version'], { stdio: 'ignore' }).status === 0;
}

function listening(port) {
  return () =>
    new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
}

/**
 * The coturn service spec and the TURN_URLS clients get, or null (no TURN_SECRET, TURN_URLS set:
 * an external TURN server, or turnserver missing — `reason` says which). Relays reach the SFU's
 * media address only: every private range is denied except that one address.
 */
export function localTurn(env, dataDir, mediaAddress) {
  if (!env.TURN_SECRET) return null;
  if (env.TURN_URLS) return { spec: null, urls: env.TURN_URLS, reason: 'TURN_URLS: external' };
  if (!turnserverInstalled())
    return { spec: null, urls: undefined, reason: 'turnserver is not installed: no TURN' };
  const port = Number(env.TURN_PORT ?? 3478);
  const host = mediaAddress || '127.0.0.1';
  const dir = path.join(dataDir, 'turn');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const loopback = host === '127.0.0.1' || host === 'localhost';
  return {
    urls: `turn:${host}:${port}?transport=udp,turn:${host}:${port}?transport=tcp`,
    reason: `local coturn on ${port} UDP+TCP`,
    spec: {
      name: 'turn',
      command: 'turnserver',
      args: [
        '-n',
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        `--listening-port=${port}`,
        '--use-auth-secret',
        `--static-auth-secret=${env.TURN_SECRET}`,
        `--realm=${env.TURN_REALM ?? 'caunoi'}`,
        '--fingerprint',
        '--no-multicast-peers',
        ...DENIED_PEER_RANGES.map((r) => `--denied-peer-ip=${r}`),
        `--allowed-peer-ip=${host === 'localhost' ? '127.0.0.1' : host}`,
        ...(loopback ? ['--allow-loopback-peers'] : []),
        '--log-file=stdout',
        '--simple-log',
        `--pidfile=${path.join(dir, 'turnserver.pid')}`,
        `--userdb=${path.join(dir, 'turndb')}`,
      ],
      env: { PATH: env.PATH },
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 2_000,
      ready: listening(port),
    },
  };
}
