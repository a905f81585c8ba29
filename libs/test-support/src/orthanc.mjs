/**
 * A real Orthanc PACS for tests, with the DICOMweb plugin: its own temporary storage, a free HTTP
 * port, no DICOM port, HTTP basic auth when users are given. `startOrthanc()` resolves once its
 * REST API answers; `stop()` ends it and removes its files. Debian packages: orthanc,
 * orthanc-dicomweb (ORTHANC_BIN / ORTHANC_DICOMWEB_PLUGIN point elsewhere).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.mjs';

const BIN = process.env.ORTHANC_BIN ?? '/usr/sbin/Orthanc';
const PLUGIN =
  process.env.ORTHANC_DICOMWEB_PLUGIN ?? '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ users?: Record<string, string>, port?: number, aeTitle?: string,
 *   dicomModalities?: Record<string, [string, string, number]> }} opts
 *   `dicomModalities`: peers Orthanc may send to (`POST /modalities/<name>/store`), each as
 *   [AE title, host, port]; Orthanc's own DICOM port is opened then (a free one).
 */
export async function startOrthanc(opts = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caunoi-orthanc-'));
  const port = opts.port ?? (await freePort());
  const users = opts.users ?? {};
  const config = {
    Name: 'caunoi-test',
    HttpPort: port,
    // A DICOM port only when the test sends from Orthanc (C-STORE to `dicomModalities`).
    DicomServerEnabled: !!opts.dicomModalities,
    DicomPort: opts.dicomModalities ? await freePort() : 4242,
    DicomAet: opts.aeTitle ?? 'ORTHANC',
    DicomModalities: opts.dicomModalities ?? {},
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'index'),
    Plugins: [PLUGIN],
    RemoteAccessAllowed: true,
    AuthenticationEnabled: Object.keys(users).length > 0,
    RegisteredUsers: users,
    HttpCompressionEnabled: false,
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
  const file = path.join(dir, 'orthanc.json');
  writeFileSync(file, JSON.stringify(config));
  const proc = spawn(BIN, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => (log = (log + d).slice(-4000)));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const [user, password] = Object.entries(users)[0] ?? [];
  const auth = user
    ? { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
    : {};

  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Orthanc exited at start (${proc.exitCode}): ${log}`);
    }
    const ok = await fetch(`${url}/system`, { headers: auth }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 300) {
      await stop();
      throw new Error(`Orthanc did not answer on ${url}: ${log}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    /** The DICOMweb root (QIDO-RS/WADO-RS), with its trailing slash. */
    dicomWebRoot: `${url}/dicom-web/`,
    /** Stores one DICOM file through Orthanc's REST API (`POST /instances`). */
    async upload(bytes) {
      const res = await fetch(`${url}/instances`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/dicom' },
        body: bytes,
      });
      const body = await res.json();
      if (!res.ok || body.Status === 'Failure')
        throw new Error(`Orthanc refused the instance: ${JSON.stringify(body)}`);
      return body;
    },
    /** The bytes Orthanc holds for an instance (its own id, from upload()). */
    async file(orthancId) {
      const res = await fetch(`${url}/instances/${orthancId}/file`, { headers: auth });
      return Buffer.from(await res.arrayBuffer());
    },
    stop,
  };
}
