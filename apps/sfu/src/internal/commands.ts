import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  SESSION_ENDED_DEFAULT_REASON,
  SFU_INTERNAL_PREFIX,
  SfuEndSessionParamsSchema,
  SfuEndSessionRequestSchema,
  SfuRecordingCommandSchema,
} from '@caunoi/shared';
import { SfuError } from '../errors';
import type { Recorders } from '../recording/recorders';
import type { RoomManager } from '../rooms/room-manager';

const MAX_BODY_BYTES = 16 * 1024;
const END_SESSION = new RegExp(`^${SFU_INTERNAL_PREFIX}/sessions/([^/]+)/end$`);
const RECORDING = new RegExp(`^${SFU_INTERNAL_PREFIX}/sessions/([^/]+)/recording/(start|stop)$`);
const SFU_ERROR_STATUS: Record<string, [number, string]> = {
  not_found: [404, 'Not Found'],
  conflict: [409, 'Conflict'],
};

class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

function bearerMatches(header: string | undefined, secret: string | undefined): boolean {
  if (!secret || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'Payload Too Large', `body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError(400, 'Bad Request', 'body: not JSON'));
      }
    });
  });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.join('.') || where;
  throw new HttpError(400, 'Bad Request', `${field}: ${issue?.message ?? 'invalid'}`, {
    field,
  });
}

/**
 * Commands from the API under `/internal/` (bearer SFU_SERVICE_TOKEN):
 * `POST /internal/sessions/:sessionId/end {reason?}` → 204, idempotent;
 * `POST /internal/sessions/:sessionId/recording/start|stop {recordingId}` → 202 (404 without a
 * room or that recording, 409 when another recording runs). Returns false for any path outside
 * the prefix (the caller serves it).
 */
export function internalCommands(
  rooms: RoomManager,
  serviceToken: string | undefined,
  log: Logger,
  recorders?: Recorders,
) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== SFU_INTERNAL_PREFIX && !path.startsWith(`${SFU_INTERNAL_PREFIX}/`)) return false;
    void (async () => {
      // The wrong caller learns nothing else, not even which paths exist.
      if (!bearerMatches(req.headers.authorization, serviceToken)) {
        log.warn({ path, address: req.socket.remoteAddress }, 'internal command refused');
        throw new HttpError(401, 'Unauthorized', 'Authorization: Bearer <SFU_SERVICE_TOKEN>');
      }
      const match = END_SESSION.exec(path);
      const recording = recorders && RECORDING.exec(path);
      if (!match && !recording) throw new HttpError(404, 'Not Found', `no command at ${path}`);
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new HttpError(405, 'Method Not Allowed', 'use POST');
      }
      if (recording) {
        const { sessionId } = parse(
          SfuEndSessionParamsSchema,
          { sessionId: decodeURIComponent(recording[1]!) },
          'sessionId',
        );
        const { recordingId } = parse(SfuRecordingCommandSchema, await readJson(req), 'body');
        try {
          if (recording[2] === 'start') await recorders!.start(sessionId, recordingId);
          else recorders!.stop(sessionId, recordingId);
        } catch (err) {
          const status = err instanceof SfuError && SFU_ERROR_STATUS[err.code];
          if (status) throw new HttpError(status[0], status[1], err.message);
          throw err;
        }
        send(res, 202);
        return;
      }
      const { sessionId } = parse(
        SfuEndSessionParamsSchema,
        { sessionId: decodeURIComponent(match![1]!) },
        'sessionId',
      );
      const body = parse(SfuEndSessionRequestSchema, await readJson(req), 'body');
      rooms.endSession(sessionId, body.reason ?? SESSION_ENDED_DEFAULT_REASON);
      send(res, 204);
    })().catch((err: unknown) => {
      if (err instanceof HttpError) {
        const { statusCode, error, message, details } = err;
        send(res, statusCode, { statusCode, error, message, ...(details ? { details } : {}) });
        return;
      }
      log.error({ err: (err as Error)?.message, path }, 'internal command failed');
      send(res, 500, {
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'internal error',
      });
    });
    return true;
  };
}
