import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { SNIFF_BYTES } from './attachment-type';
import { decryptRange, encryptFile, readHeader } from './attachment-cipher';

/** A stored file opened for download: its plaintext size and a reader of any byte range. */
export interface StoredFile {
  readonly size: number;
  read(start: number, end: number): Readable;
}

/** A file received into the store but not kept yet: where it lies is the store's business. */
export interface ReceivedFile {
  readonly receiptId: string;
  readonly sha256: string;
  readonly size: number;
  /** The first bytes, enough to recognise the type. */
  readonly head: Buffer;
}

/** Leftovers of a process that died mid-upload are older than any upload still in progress. */
const STALE_RECEIPT_MS = 60 * 60 * 1000;

/**
 * Content-addressed blob store on disk: `<ATTACHMENTS_DIR>/<aa>/<sha256>`. The same bytes
 * uploaded twice are stored once. Uploads stream through a hash into a receipt (a temporary
 * file) that is renamed into place only after the caller decides to keep it; a failed or
 * abandoned upload leaves nothing behind.
 */
@Injectable()
export class AttachmentStorage implements OnModuleInit {
  readonly root: string;
  private readonly logger = new Logger(AttachmentStorage.name);
  /** AES-256 key of files at rest (STORAGE_KEY); without it files are stored as received. */
  private readonly key: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = path.resolve(config.ATTACHMENTS_DIR);
    this.key = config.STORAGE_KEY;
  }

  async onModuleInit(): Promise<void> {
    const dir = this.receiptsDir();
    const names = await readdir(dir).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of names) {
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => null);
      if (info && now - info.mtimeMs > STALE_RECEIPT_MS) await rm(file, { force: true });
    }
    if (names.length) this.logger.log(`checked ${names.length} leftover upload receipt(s)`);
  }

  /**
   * Streams `source` into a receipt. The pipeline is attached before anything is awaited, so a
   * source that fails early (a truncated multipart body) rejects this promise instead of emitting
   * an error nobody listens to; on any failure the partial receipt is removed.
   */
  async receive(source: Readable): Promise<ReceivedFile> {
    const receiptId = randomUUID();
    const target = this.receiptPath(receiptId);
    const hash = createHash('sha256');
    let size = 0;
    const headChunks: Buffer[] = [];
    let headLength = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        if (headLength < SNIFF_BYTES) {
          headChunks.push(chunk.subarray(0, SNIFF_BYTES - headLength));
          headLength += Math.min(chunk.length, SNIFF_BYTES - headLength);
        }
        done(null, chunk);
      },
    });
    const receiptsDir = this.receiptsDir();
    try {
      await pipeline(source, tap, async function write(chunks: AsyncIterable<Buffer>) {
        await mkdir(receiptsDir, { recursive: true });
        await pipeline(chunks, createWriteStream(target, { mode: 0o600, flags: 'wx' }));
      });
    } catch (err) {
      await rm(target, { force: true });
      throw err;
    }
    return { receiptId, sha256: hash.digest('hex'), size, head: Buffer.concat(headChunks) };
  }

  /** Moves a receipt to its content address (or drops it if those bytes are already stored). */
  async keep(file: ReceivedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    await mkdir(path.dirname(target), { recursive: true });
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) await this.discard(file);
    else if (!this.key) await rename(this.receiptPath(file.receiptId), target);
    else {
      // Encrypted beside the target, then renamed: a crash never leaves half a file in place.
      const sealed = `${this.receiptPath(file.receiptId)}.enc`;
      const src = await open(this.receiptPath(file.receiptId), 'r');
      const out = await open(sealed, 'wx', 0o600);
      try {
        await encryptFile(this.key, src, file.size, out);
      } finally {
        await src.close();
        await out.close();
      }
      await rename(sealed, target);
      await this.discard(file);
    }
  }

  /**
   * Opens a stored file for reading. Files stored before encryption was configured (no header)
   * are read as they are, so an existing store keeps working and is encrypted as files are added.
   */
  async open(sha256: string): Promise<StoredFile> {
    const file = this.pathOf(sha256);
    const fh = await open(file, 'r');
    try {
      const sealed = await readHeader(fh);
      if (!sealed) {
        const { size } = await fh.stat();
        return { size, read: (start, end) => createReadStream(file, { start, end }) };
      }
      if (!this.key)
        throw new Error(`attachment ${sha256} is encrypted but STORAGE_KEY is not set`);
      const key = this.key;
      return {
        size: sealed.size,
        read: (start, end) =>
          Readable.from(
            (async function* () {
              const handle = await open(file, 'r');
              try {
                yield* decryptRange(key, handle, sealed.header, start, end);
              } finally {
                await handle.close();
              }
            })(),
          ),
      };
    } finally {
      await fh.close();
    }
  }

  async discard(file: ReceivedFile): Promise<void> {
    await rm(this.receiptPath(file.receiptId), { force: true });
  }

  /** Reads up to `max` leading bytes of a receipt. */
  async readStart(file: ReceivedFile, max: number): Promise<Buffer> {
    const fh = await open(this.receiptPath(file.receiptId), 'r');
    try {
      const buf = Buffer.alloc(Math.min(max, file.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  relativePathOf(sha256: string): string {
    return path.join(sha256.slice(0, 2), sha256);
  }

  pathOf(sha256: string): string {
    return path.join(this.root, this.relativePathOf(sha256));
  }

  private receiptsDir(): string {
    return path.join(this.root, 'tmp');
  }

  private receiptPath(receiptId: string): string {
    return path.join(this.receiptsDir(), path.basename(receiptId));
  }
}
