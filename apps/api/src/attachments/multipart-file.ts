import { HttpStatus } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { ApiException, invalidInput } from '../common/errors';
import type { AttachmentStorage, ReceivedFile } from './attachment-storage';

export interface IncomingUpload extends ReceivedFile {
  fileName: string;
  declaredType: string | undefined;
}

const tooLarge = (max: number) =>
  new ApiException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    `The file is larger than the limit of ${max} bytes`,
    { maxBytes: max },
  );

/**
 * Streams the multipart field `file` of the request to storage without buffering it in memory.
 * Stops at `maxBytes` with 413.
 */
export function receiveMultipartFile(
  req: Request,
  storage: AttachmentStorage,
  maxBytes: number,
): Promise<IncomingUpload> {
  const declaredLength = Number(req.headers['content-length'] ?? 0);
  if (declaredLength > maxBytes + 1024 * 1024) return Promise.reject(tooLarge(maxBytes));
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(
      invalidInput(
        { path: 'file', message: 'Required' },
        'Send the file as multipart/form-data in a field named "file"',
      ),
    );
  }
  return new Promise<IncomingUpload>((resolve, reject) => {
    let settled = false;
    let receiving: Promise<void> | null = null;
    let upload: IncomingUpload | null = null;
    let truncated = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe();
      req.resume(); // drain the rest so the response can be sent
      reject(err);
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: maxBytes, fields: 20, parts: 25 },
      });
    } catch {
      return reject(
        invalidInput(
          { path: 'file', message: 'Malformed multipart body' },
          'Malformed multipart body',
        ),
      );
    }
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || receiving) {
        stream.resume();
        return;
      }
      stream.on('limit', () => {
        truncated = true;
      });
      receiving = storage.receive(stream).then((received) => {
        upload = { ...received, fileName: info.filename || 'file', declaredType: info.mimeType };
      });
      receiving.catch(fail);
    });
    bb.on('error', () =>
      fail(
        invalidInput(
          { path: 'file', message: 'Malformed multipart body' },
          'Malformed multipart body',
        ),
      ),
    );
    bb.on('close', async () => {
      if (settled) return;
      try {
        if (!receiving)
          throw invalidInput(
            { path: 'file', message: 'Required' },
            'A multipart field named "file" is required',
          );
        await receiving;
        if (truncated) {
          await storage.discard(upload!);
          throw tooLarge(maxBytes);
        }
        settled = true;
        resolve(upload!);
      } catch (err) {
        fail(err);
      }
    });
    req.pipe(bb);
  });
}
