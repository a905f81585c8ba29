import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Reader tokens at rest: AES-256-GCM under a key derived (HKDF) from the attachment storage key
 * (STORAGE_KEY), so one secret protects both and a token cannot be decrypted with the files' key
 * material used as it is. Sealed form: `v1.<iv>.<ciphertext>.<tag>` (base64url).
 */
const INFO = 'caunoi machine-reader token v1';

const tokenKey = (storageKey: Buffer) =>
  Buffer.from(hkdfSync('sha256', storageKey, Buffer.alloc(0), INFO, 32));

export function sealToken(storageKey: Buffer, token: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', tokenKey(storageKey), iv);
  const body = Buffer.concat([c.update(token, 'utf8'), c.final()]);
  return ['v1', iv, body, c.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openToken(storageKey: Buffer, sealed: string): string {
  const [v, iv, body, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag) throw new Error('not a sealed reader token');
  const d = createDecipheriv('aes-256-gcm', tokenKey(storageKey), Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}
