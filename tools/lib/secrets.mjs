// Demo secrets for `npm start`: generated once into .data/secrets (git-ignored, mode 600) so
// the repository never carries a key. A deployment sets the same variables from its own vault.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function ensureDemoSecrets(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'secrets.json');
  const existing = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  // A secret added by a newer version is generated into an older data folder as well.
  const secrets = { ...existing };
  for (const [key, make] of Object.entries(GENERATORS))
    if (!(key in secrets)) Object.assign(secrets, make());
  if (Object.keys(secrets).length === Object.keys(existing).length) return existing;
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const GENERATORS = {
  AUTH_JWT_SECRET: () => ({ AUTH_JWT_SECRET: crypto.randomBytes(48).toString('base64url') }),
  SFU_SERVICE_TOKEN: () => ({ SFU_SERVICE_TOKEN: crypto.randomBytes(32).toString('base64url') }),
  JOIN_TOKEN_PRIVATE_KEY: joinTokenKeys,
  JOIN_TOKEN_PUBLIC_KEY: joinTokenKeys,
  // Attachments at rest are encrypted with it: losing it loses the files (back it up apart).
  STORAGE_KEY: () => ({ STORAGE_KEY: crypto.randomBytes(32).toString('hex') }),
  DATABASE_APP_PASSWORD: () => ({
    DATABASE_APP_PASSWORD: crypto.randomBytes(24).toString('base64url'),
  }),
};

function joinTokenKeys() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    JOIN_TOKEN_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JOIN_TOKEN_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
