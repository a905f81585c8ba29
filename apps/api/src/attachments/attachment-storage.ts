import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { SNIFF_BYTES } from './attachment-type';

export interface ReceivedFile {
  tmpPath: string;
  sha256: string;
  size: number;
  head: Buffer;
}

/**
 * Content-addressed blob store on disk: `<ATTACHMENTS_DIR>/<aa>/<sha256>`. The same bytes
 * uploaded twice are stored once. Uploads stream through a hash into a temporary file and are
 * renamed into place only after the type check passes.
 */
@Injectable()
export class AttachmentStorage {
  readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = path.resolve(config.ATTACHMENTS_DIR);
  }

  async receive(source: Readable): Promise<ReceivedFile> {
    await mkdir(path.join(this.root, 'tmp'), { recursive: true });
    const tmpPath = path.join(this.root, 'tmp', randomUUID());
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
    try {
      await pipeline(source, tap, createWriteStream(tmpPath, { mode: 0o600 }));
    } catch (err) {
      await rm(tmpPath, { force: true });
      throw err;
    }
    return { tmpPath, sha256: hash.digest('hex'), size, head: Buffer.concat(headChunks) };
  }

  /** Moves a received file to its content address (or drops it if those bytes are already stored). */
  async keep(file: ReceivedFile): Promise<void> {
    const target = this.pathOf(file.sha256);
    await mkdir(path.dirname(target), { recursive: true });
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) await rm(file.tmpPath, { force: true });
    else await rename(file.tmpPath, target);
  }

  async discard(file: ReceivedFile): Promise<void> {
    await rm(file.tmpPath, { force: true });
  }

  /** Reads up to `max` leading bytes of a file (received or stored). */
  async readStart(filePath: string, max: number): Promise<Buffer> {
    const fh = await open(filePath, 'r');
    try {
      const buf = Buffer.alloc(max);
      const { bytesRead } = await fh.read(buf, 0, max, 0);
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
}
