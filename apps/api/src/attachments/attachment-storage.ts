import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { SNIFF_BYTES } from './attachment-type';

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

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = path.resolve(config.ATTACHMENTS_DIR);
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
    else await rename(this.receiptPath(file.receiptId), target);
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

  /** Path relative to root, for streaming with Range support. */
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
