import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * Attachments at rest: AES-256-GCM in independent frames, so that a Range request decrypts only
 * the frames it touches. File = header (magic, 8-byte random nonce prefix, plaintext size) then
 * frames of up to 64 KiB plaintext + 16-byte tag. Frame i's IV is the prefix + i; its AAD is the
 * header + i, so frames cannot be reordered, moved between files or the file truncated unseen.
 */
const MAGIC = Buffer.from('CNENC1\0\0', 'latin1');
export const FRAME = 64 * 1024;
const TAG = 16;
export const HEADER = 24;

export function parseStorageKey(raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('must be 32 bytes, as 64 hex digits or base64');
  return key;
}

const iv = (prefix: Buffer, i: number) => {
  const v = Buffer.alloc(12);
  prefix.copy(v, 0);
  v.writeUInt32BE(i, 8);
  return v;
};
const aad = (header: Buffer, i: number) => {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(i, 0);
  return Buffer.concat([header, n]);
};

/** Encrypts the plaintext file `src` (of `size` bytes) into the handle `out`. */
export async function encryptFile(key: Buffer, src: FileHandle, size: number, out: FileHandle) {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  const prefix = randomBytes(8);
  prefix.copy(header, 8);
  header.writeBigUInt64BE(BigInt(size), 16);
  await out.write(header);
  const buf = Buffer.alloc(FRAME);
  for (let i = 0, pos = 0; pos < size; i++, pos += FRAME) {
    const { bytesRead } = await src.read(buf, 0, Math.min(FRAME, size - pos), pos);
    const c = createCipheriv('aes-256-gcm', key, iv(prefix, i));
    c.setAAD(aad(header, i));
    await out.write(
      Buffer.concat([c.update(buf.subarray(0, bytesRead)), c.final(), c.getAuthTag()]),
    );
  }
}

/** The header of an encrypted file, or null for a plaintext one (stored before encryption). */
export async function readHeader(fh: FileHandle): Promise<{ header: Buffer; size: number } | null> {
  const header = Buffer.alloc(HEADER);
  const { bytesRead } = await fh.read(header, 0, HEADER, 0);
  if (bytesRead < HEADER || !header.subarray(0, 8).equals(MAGIC)) return null;
  return { header, size: Number(header.readBigUInt64BE(16)) };
}

/** Plaintext bytes start..end (inclusive) of an encrypted file, decrypting only those frames. */
export async function* decryptRange(
  key: Buffer,
  fh: FileHandle,
  header: Buffer,
  start: number,
  end: number,
): AsyncGenerator<Buffer> {
  const prefix = header.subarray(8, 16);
  const size = Number(header.readBigUInt64BE(16));
  const buf = Buffer.alloc(FRAME + TAG);
  for (let i = Math.floor(start / FRAME); i * FRAME <= end; i++) {
    const plain = Math.min(FRAME, size - i * FRAME);
    const { bytesRead } = await fh.read(buf, 0, plain + TAG, HEADER + i * (FRAME + TAG));
    if (bytesRead !== plain + TAG) throw new Error('encrypted attachment is truncated');
    const d = createDecipheriv('aes-256-gcm', key, iv(prefix, i));
    d.setAAD(aad(header, i));
    d.setAuthTag(buf.subarray(plain, plain + TAG));
    const out = Buffer.concat([d.update(buf.subarray(0, plain)), d.final()]);
    const from = Math.max(0, start - i * FRAME);
    yield out.subarray(from, Math.min(plain, end - i * FRAME + 1));
  }
}
