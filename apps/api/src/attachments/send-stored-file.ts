import { HttpStatus } from '@nestjs/common';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { ApiException } from '../common/errors';
import type { StoredFile } from './attachment-storage';

/**
 * Streams a stored file with its headers; `Range: bytes=a-b` answers 206 (viewers page through
 * large files, and a video element seeks with ranges).
 */
export async function sendStoredFile(
  req: Request,
  res: Response,
  file: StoredFile,
  o: { mediaType: string; fileName: string; disposition?: 'inline' | 'attachment' },
): Promise<void> {
  const range = byteRange(req.headers.range, file.size);
  if (range === 'unsatisfiable') {
    // Before any header of the file: the error is answered as JSON like every other error.
    res.setHeader('Content-Range', `bytes */${file.size}`);
    throw new ApiException(
      HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
      `The requested range is outside the file (${file.size} bytes)`,
    );
  }
  res.setHeader('Content-Type', o.mediaType);
  res.setHeader(
    'Content-Disposition',
    `${o.disposition ?? 'inline'}; filename*=UTF-8''${encodeURIComponent(o.fileName)}`,
  );
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Accept-Ranges', 'bytes');
  const [start, end] = range ?? [0, file.size - 1];
  if (range) res.status(206).setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
  res.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
  if (file.size === 0) {
    res.end();
    return;
  }
  await pipeline(file.read(start, end), res);
}

/** One `bytes=a-b` / `a-` / `-n` range (what viewers and players send); others: whole file. */
export function byteRange(
  header: string | undefined,
  size: number,
): [number, number] | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return [start, end];
}
