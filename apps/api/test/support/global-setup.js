// Finds a PostgreSQL server for the e2e suites: TEST_DATABASE_URL, else DATABASE_URL, else an
// embedded one started here for the whole run (each suite still creates its own database).
const { spawn } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalSetup() {
  if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) return;
  const child = spawn(process.execPath, [path.join(__dirname, 'pg-server.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(
      () => reject(new Error('embedded PostgreSQL did not start within 120 s')),
      120000,
    );
    child.stdout.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited with ${code}`)));
  });
  process.env.TEST_DATABASE_URL = url;
  globalThis.__CAUNOI_EMBEDDED_PG__ = child;
};
