import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * PACS passwords and tokens at rest: AES-256-GCM under a key derived (HKDF) from the one storage
 * key that also seals attachments (STORAGE_KEY), so there is a single secret to provision and
 * rotate, yet the two uses never share a key. The facility id is the associated data: a sealed
 * secret copied onto another facility's row does not open.
 * Layout: version byte, 12-byte IV, ciphertext, 16-byte tag.
 */
const VERSION = 1;
const IV = 12;
const TAG = 16;

function secretsKey(storageKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', storageKey, Buffer.alloc(0), 'caunoi pacs secrets', 32));
}

export function sealSecret(storageKey: Buffer, facilityId: string, plaintext: string): Buffer {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', secretsKey(storageKey), iv);
  c.setAAD(Buffer.from(facilityId, 'utf8'));
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, body, c.getAuthTag()]);
}

export function openSecret(storageKey: Buffer, facilityId: string, sealed: Buffer): string {
  if (sealed.length < 1 + IV + TAG || sealed[0] !== VERSION)
    throw new Error('sealed PACS secret has an unknown format');
  const iv = sealed.subarray(1, 1 + IV);
  const d = createDecipheriv('aes-256-gcm', secretsKey(storageKey), iv);
  d.setAAD(Buffer.from(facilityId, 'utf8'));
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([
    d.update(sealed.subarray(1 + IV, sealed.length - TAG)),
    d.final(),
  ]).toString('utf8');
}
