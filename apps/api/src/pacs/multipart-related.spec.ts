import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { boundaryOf, FirstPartStream } from './multipart-related';

const B = 'b0undary-42';
const part = (body: Buffer) =>
  Buffer.concat([
    Buffer.from(
      `--${B}\r\nContent-Type: application/dicom\r\nContent-Length: ${body.length}\r\n\r\n`,
    ),
    body,
    Buffer.from(`\r\n--${B}--\r\n`),
  ]);
const run = (chunks: Buffer[], max = 1 << 20) =>
  buffer(
    Readable.from(chunks).pipe(
      new FirstPartStream(
        B,
        max,
        () => new Error('too large'),
        (why) => new Error(`malformed: ${why}`),
      ),
    ),
  );
/** Cuts `b` into pieces of `n` bytes, so boundaries fall inside chunks and across them. */
const cut = (b: Buffer, n: number) =>
  Array.from({ length: Math.ceil(b.length / n) }, (_, i) => b.subarray(i * n, (i + 1) * n));

describe('first part of a multipart/related answer', () => {
  const body = Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM'),
    Buffer.from(`\r\n--${B.slice(0, 5)}`),
  ]);

  it('yields exactly the part body whatever the chunking', async () => {
    for (const n of [1, 2, 7, 13, 64, 4096])
      expect(Buffer.compare(await run(cut(part(body), n)), body)).toBe(0);
  });

  it('refuses an answer cut before the closing boundary, a body over the limit, another type', async () => {
    const whole = part(body);
    await expect(run([whole.subarray(0, whole.length - B.length - 8)])).rejects.toThrow(
      /malformed/,
    );
    await expect(run([whole], 100)).rejects.toThrow(/too large/);
    const html = Buffer.from(`--${B}\r\nContent-Type: text/html\r\n\r\n<html>\r\n--${B}--`);
    await expect(run([html])).rejects.toThrow(/text\/html/);
  });

  it('reads the boundary parameter, quoted or not', () => {
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/related; boundary="a b"; type=x')).toBe('a b');
    expect(boundaryOf('application/dicom')).toBeNull();
  });
});
