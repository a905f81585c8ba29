// LAN mode of `npm start`: PUBLIC_URL=https://<name-or-ip>:8443 serves the one origin over HTTPS
// (a certificate from the local CA in the data folder, or TLS_CERT_FILE/TLS_KEY_FILE) and
// announces a media address that the other machines of the network can reach.
import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { ensureLocalCa, ensureServerCertificate, spkiHash } from './tls.mjs';

/** Non-internal IPv4 addresses of this machine (what a tablet on the same network can reach). */
export function lanAddresses() {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

/**
 * The address to put in the SFU's ICE candidates for clients that open `publicUrl`: its host when
 * that is an IP, else what the name resolves to here; a name this machine cannot resolve (a name
 * only the clients' DNS knows) falls back to the first LAN address. `reason` says which.
 */
export async function mediaAddressFor(publicUrl) {
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return { address: host, reason: 'the PUBLIC_URL host is an IP address' };
  try {
    const { address } = await dns.lookup(host, { family: 4 });
    return { address, reason: `${host} resolves to it here` };
  } catch {
    const [lan] = lanAddresses();
    return lan
      ? { address: lan, reason: `${host} does not resolve here; first LAN address` }
      : { address: null, reason: `${host} does not resolve here and there is no LAN address` };
  }
}

/**
 * What `npm start` needs for PUBLIC_URL: the web port, the TLS files for the web server (https
 * only), the media address to announce, and the lines to print. Null without PUBLIC_URL.
 */
export async function lanSetup(env, dataDir) {
  if (!env.PUBLIC_URL) return null;
  const url = new URL(env.PUBLIC_URL);
  const secure = url.protocol === 'https:';
  const port = env.WEB_PORT ? Number(env.WEB_PORT) : Number(url.port || (secure ? 443 : 80));
  const media = env.SFU_ANNOUNCED_ADDRESS
    ? { address: env.SFU_ANNOUNCED_ADDRESS, reason: 'SFU_ANNOUNCED_ADDRESS' }
    : await mediaAddressFor(url.href);
  const setup = { url, port, secure, media, tls: null, notes: [] };
  if (!secure) return setup;

  if (env.TLS_CERT_FILE && env.TLS_KEY_FILE) {
    setup.tls = { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE, caFile: null };
    setup.notes.push(`TLS certificate from TLS_CERT_FILE (${env.TLS_CERT_FILE})`);
    return setup;
  }
  const dir = path.join(dataDir, 'tls');
  const ca = await ensureLocalCa(dir);
  const names = [...new Set([url.hostname, 'localhost', '127.0.0.1', ...lanAddresses()])];
  const server = await ensureServerCertificate(dir, ca, names);
  const caPem = fs.readFileSync(ca.certFile, 'utf8');
  const fingerprint = new crypto.X509Certificate(caPem).fingerprint256;
  setup.tls = { certFile: server.certFile, keyFile: server.keyFile, caFile: ca.certFile };
  setup.caSpki = spkiHash(caPem);
  setup.notes.push(...trustInstructions(url, ca.certFile, fingerprint, ca.created));
  return setup;
}

function trustInstructions(url, caFile, fingerprint, created) {
  return [
    `${created ? 'Created' : 'Using'} the local certificate authority ${caFile}`,
    `  SHA-256 fingerprint ${fingerprint}`,
    `Trust it once on every phone, tablet and PC that opens ${url.origin}:`,
    `  download it from ${url.origin}/ca.crt (accept the one-time warning), or copy ${caFile}`,
    `  Android   Settings > Security > Encryption & credentials > Install a certificate > CA certificate`,
    `  iPhone    open the file in Safari > Settings > Profile downloaded > Install, then`,
    `            General > About > Certificate Trust Settings > turn on full trust for it`,
    `  Windows   open the file > Install Certificate > Local Machine > Trusted Root Certification Authorities`,
    `  macOS     Keychain Access > System > import it > Trust: Always Trust`,
    `  Linux     sudo cp ${caFile} /usr/local/share/ca-certificates/caunoi-ca.crt && sudo update-ca-certificates`,
    `            (Chrome/Firefox: Settings > Certificates > Authorities > Import)`,
    `  Compare the fingerprint shown by the device with the one above.`,
  ];
}

/** Readiness of the HTTPS web server: 200 on `/`, its certificate verified by our CA when we made it. */
export function httpsReady(port, caFile) {
  const ca = caFile ? fs.readFileSync(caFile) : undefined;
  return () =>
    new Promise((resolve, reject) => {
      const req = https.get(
        { host: '127.0.0.1', port, path: '/', ca, rejectUnauthorized: Boolean(ca), timeout: 2000 },
        (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timeout')));
    });
}

/** What `npm start` prints in LAN mode, below "Cầu Nối is running". */
export function lanSummary(setup) {
  return [
    `    Media     ${setup.media.address ?? '(set SFU_ANNOUNCED_ADDRESS)'} (${setup.media.reason})`,
    ...setup.notes.map((n) => `    ${n}`),
  ].join('\n');
}
