// LAN mode's certificates (tools/lib/tls.mjs, tools/lib/lan.mjs): the local CA is made once and
// kept, the server certificate is a real chain for every name the system is reached at, renewed
// for new names under the same CA, and the media address follows PUBLIC_URL's host.
import crypto from 'crypto';
import fs from 'fs';
import https from 'https';
import os from 'os';
import path from 'path';
import * as lan from '../lib/lan.mjs';
import * as tls from '../lib/tls.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-lan-spec-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Serve one request with the certificate and fetch it as a client that trusts only `ca`. */
async function handshake(certFile: string, keyFile: string, ca: string, servername: string) {
  const server = https
    .createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, (_q, s) =>
      s.end('ok'),
    )
    .listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<string>((resolve, reject) =>
      https
        .get({ host: '127.0.0.1', port, servername, ca }, (res) => {
          res.resume();
          resolve(String(res.statusCode));
        })
        .on('error', (e) => reject(e)),
    );
  } finally {
    server.close();
  }
}

it('creates the CA once, and a server certificate browsers accept for the public name', async () => {
  const setup = await lan.lanSetup({ PUBLIC_URL: 'https://tram-xa.lan:8443' }, dir);
  expect(setup.port).toBe(8443);
  const caPem = fs.readFileSync(setup.tls.caFile, 'utf8');
  const ca = new crypto.X509Certificate(caPem);
  expect(ca.ca).toBe(true);
  expect((fs.statSync(path.join(dir, 'tls/ca.key')).mode & 0o077) === 0).toBe(true);
  await expect(
    handshake(setup.tls.certFile, setup.tls.keyFile, caPem, 'tram-xa.lan'),
  ).resolves.toBe('200');
  await expect(
    handshake(setup.tls.certFile, setup.tls.keyFile, caPem, 'other.lan'),
  ).rejects.toThrow(/altnames/);
  expect(setup.caSpki).toBe(tls.spkiHash(caPem));
  expect(setup.notes.join('\n')).toMatch(/Created the local certificate authority[\s\S]*Android/);

  // Started again: the same CA and certificate; another name: a new certificate, same CA.
  const again = await lan.lanSetup({ PUBLIC_URL: 'https://tram-xa.lan:8443' }, dir);
  expect(fs.readFileSync(again.tls.caFile, 'utf8')).toBe(caPem);
  expect(again.notes[0]).toMatch(/^Using/);
  const before = fs.readFileSync(setup.tls.certFile, 'utf8');
  expect(fs.readFileSync(again.tls.certFile, 'utf8')).toBe(before);
  const renamed = await lan.lanSetup({ PUBLIC_URL: 'https://10.20.30.40:8443' }, dir);
  expect(fs.readFileSync(renamed.tls.certFile, 'utf8')).not.toBe(before);
  expect(fs.readFileSync(renamed.tls.caFile, 'utf8')).toBe(caPem);
  await expect(
    handshake(renamed.tls.certFile, renamed.tls.keyFile, caPem, 'tram-xa.lan'),
  ).rejects.toThrow(/altnames/);
  expect(
    new crypto.X509Certificate(fs.readFileSync(renamed.tls.certFile)).checkIP('10.20.30.40'),
  ).toBe('10.20.30.40');
});

it('uses operator-provided certificates as they are', async () => {
  const setup = await lan.lanSetup(
    {
      PUBLIC_URL: 'https://caunoi.benhvien.vn',
      TLS_CERT_FILE: '/etc/x.crt',
      TLS_KEY_FILE: '/etc/x.key',
    },
    path.join(dir, 'other'),
  );
  expect(setup.port).toBe(443);
  expect(setup.tls).toEqual({ certFile: '/etc/x.crt', keyFile: '/etc/x.key', caFile: null });
  expect(fs.existsSync(path.join(dir, 'other/tls'))).toBe(false);
});

it('announces the media address of the PUBLIC_URL host', async () => {
  expect((await lan.mediaAddressFor('https://10.1.2.3:8443')).address).toBe('10.1.2.3');
  expect((await lan.mediaAddressFor('https://localhost:8443')).address).toBe('127.0.0.1');
  const unknown = await lan.mediaAddressFor('https://khong-ton-tai.invalid:8443');
  expect(unknown.address).toBe(lan.lanAddresses()[0] ?? null);
  expect(unknown.reason).toMatch(/does not resolve/);
  const fixed = await lan.lanSetup(
    { PUBLIC_URL: 'https://10.1.2.3:8443', SFU_ANNOUNCED_ADDRESS: '203.0.113.7' },
    path.join(dir, 'fixed'),
  );
  expect(fixed.media).toEqual({ address: '203.0.113.7', reason: 'SFU_ANNOUNCED_ADDRESS' });
  const plain = await lan.lanSetup({ PUBLIC_URL: 'http://127.0.0.1:8080' }, path.join(dir, 'p'));
  expect([plain.secure, plain.tls]).toEqual([false, null]);
});
