import { Transform, type TransformCallback } from 'node:stream';

/** The boundary parameter of a `multipart/related; boundary=…` content type, or null. */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * Streams the body of the FIRST part of a multipart/related answer (a WADO-RS instance retrieve
 * holds one part), without holding the instance in memory: only the boundary's length is kept
 * back between chunks. Fails if the part does not say application/dicom, if it grows past
 * `maxBytes`, or if the answer ends before the part's closing boundary (a cut connection must
 * not store a truncated file).
 */
export class FirstPartStream extends Transform {
  private state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  private pending: Buffer = Buffer.alloc(0);
  private bytes = 0;
  private readonly opening: Buffer;
  private readonly closing: Buffer;

  constructor(
    boundary: string,
    private readonly maxBytes: number,
    private readonly onTooLarge: () => Error,
    private readonly onMalformed: (why: string) => Error,
  ) {
    super();
    this.opening = Buffer.from(`--${boundary}`);
    this.closing = Buffer.from(`\r\n--${boundary}`);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.state === 'done') return done();
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      this.advance();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === 'done' ? null : this.onMalformed('the answer ended inside the instance'));
  }

  private advance(): void {
    if (this.state === 'preamble') {
      const at = this.pending.indexOf(this.opening);
      if (at < 0) {
        if (this.pending.length > 64 * 1024) throw this.onMalformed('no multipart boundary');
        return;
      }
      this.pending = this.pending.subarray(at + this.opening.length);
      this.state = 'headers';
    }
    if (this.state === 'headers') {
      const end = this.pending.indexOf(CRLF2);
      if (end < 0) {
        if (this.pending.length > 16 * 1024) throw this.onMalformed('part headers too long');
        return;
      }
      const headers = this.pending.subarray(0, end).toString('latin1');
      const type = /^content-type:\s*([^;\r\n]+)/im.exec(headers)?.[1]?.trim().toLowerCase();
      if (type && type !== 'application/dicom')
        throw this.onMalformed(`the part is ${type}, not application/dicom`);
      this.pending = this.pending.subarray(end + CRLF2.length);
      this.state = 'body';
    }
    if (this.state === 'body') {
      const at = this.pending.indexOf(this.closing);
      if (at >= 0) {
        this.send(this.pending.subarray(0, at));
        this.pending = Buffer.alloc(0);
        this.state = 'done';
        return;
      }
      // Keep back what could be the start of the closing boundary.
      const safe = this.pending.length - (this.closing.length - 1);
      if (safe > 0) {
        this.send(this.pending.subarray(0, safe));
        this.pending = Buffer.from(this.pending.subarray(safe));
      }
    }
  }

  private send(data: Buffer): void {
    if (!data.length) return;
    this.bytes += data.length;
    if (this.bytes > this.maxBytes) throw this.onTooLarge();
    this.push(data);
  }
}

/** Passes a single-part answer (`application/dicom`) through, failing past `maxBytes`. */
export class SizeLimit extends Transform {
  private bytes = 0;
  constructor(
    private readonly maxBytes: number,
    private readonly onTooLarge: () => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) done(this.onTooLarge());
    else done(null, chunk);
  }
}
