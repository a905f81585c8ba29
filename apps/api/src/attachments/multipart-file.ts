import { HttpStatus } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { PassThrough, type Readable } from 'node:stream';
import { ApiException, invalidInput } from '../common/errors';

/** One uploaded file as the service sees it: its bytes as a stream, and what the client said. */
export interface IncomingFile {
  /**
   * Ends only when the whole multipart body was read and valid; fails with the 4xx to answer
   * (truncated or malformed body, a second file, over the size limit, connection cut).
   */
  stream: Readable;
  fileName: string;
  declaredType: string | undefined;
}

export const FILE_FIELD = 'file';

const tooLarge = (max: number) =>
  new ApiException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    `The file is larger than the limit of ${max} bytes`,
    { maxBytes: max },
  );
const fileIssue = (message: string, summary?: string) =>
  invalidInput({ path: FILE_FIELD, message }, summary);
const malformed = () =>
  fileIssue(
    'Malformed or incomplete multipart body',
    'file: the multipart body is malformed or ends before its closing boundary',
  );

/**
 * The multipart edge: resolves as soon as the part `file` starts, with a stream of its bytes
 * (nothing is buffered in memory). Every failure of the request, the parser or the part is
 * turned into an error of that stream (or a rejection before it exists), never an unhandled
 * 'error' event. Whoever gives up on the stream destroys it; the rest of the body is then
 * drained so the answer can still be sent.
 */
export function receiveMultipartFile(req: Request, maxBytes: number): Promise<IncomingFile> {
  const declaredLength = Number(req.headers['content-length'] ?? 0);
  if (declaredLength > maxBytes + 1024 * 1024) return Promise.reject(tooLarge(maxBytes));
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    return Promise.reject(
      fileIssue('Required', 'Send the file as multipart/form-data in a field named "file"'),
    );
  }
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      limits: { files: 4, fileSize: maxBytes, fields: 20, parts: 25 },
    });
  } catch {
    return Promise.reject(malformed());
  }

  return new Promise<IncomingFile>((resolve, reject) => {
    const out = new PassThrough();
    // The service may still be checking access when the body fails: the failure is kept in the
    // stream (`errored`) for its pipeline to see; this listener only keeps it from being fatal.
    out.on('error', () => {});
    let started = false;
    let settled = false;
    let formDone = false;
    let fileDone = false;

    const stopReading = () => {
      req.unpipe(bb);
      req.resume(); // drain the rest so the answer can be sent
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      stopReading();
      if (started) out.destroy(err as Error);
      else reject(err);
    };
    const finishIfComplete = () => {
      if (settled || !formDone || !fileDone) return;
      settled = true;
      out.end();
    };
    out.on('close', () => {
      if (!settled) fail(new Error('upload abandoned'));
    });

    bb.on('file', (field, part, info) => {
      part.on('error', () => fail(malformed()));
      if (field !== FILE_FIELD) {
        part.resume();
        return;
      }
      if (started) {
        part.resume();
        fail(fileIssue('Send exactly one file'));
        return;
      }
      started = true;
      part.on('limit', () => fail(tooLarge(maxBytes)));
      part.on('end', () => {
        fileDone = true;
        finishIfComplete();
      });
      part.pipe(out, { end: false });
      resolve({ stream: out, fileName: info.filename || 'file', declaredType: info.mimeType });
    });
    bb.on('filesLimit', () => fail(fileIssue('Send exactly one file')));
    bb.on('partsLimit', () => fail(malformed()));
    bb.on('fieldsLimit', () => fail(malformed()));
    bb.on('error', () => fail(malformed()));
    bb.on('finish', () => {
      if (!started)
        return fail(fileIssue('Required', 'A multipart field named "file" is required'));
      formDone = true;
      finishIfComplete();
    });
    req.on('error', () => fail(malformed()));
    req.on('close', () => {
      if (!req.complete) fail(malformed());
    });
    req.pipe(bb);
  });
}
