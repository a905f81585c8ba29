import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { isStorableText } from '@caunoi/shared';
import type { AuthedRequest } from '../auth/current-user';
import { inAmbientTransaction } from '../database/ambient-transaction';
import { ApiException, invalidInput } from './errors';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 200;

/**
 * `Idempotency-Key` on a create: the first request runs in one transaction together with storing
 * the key and its answer; a retry with the same key (same user, same request) gets that answer
 * again (`Idempotent-Replayed: true`) and creates nothing. The same key with another request is a
 * 409. Keys live a day. Failures are not stored: a retry after a 4xx or 503 runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const key = req.headers[IDEMPOTENCY_HEADER.toLowerCase()];
    if (key === undefined || !req.user) return next.handle();
    if (
      typeof key !== 'string' ||
      !key.length ||
      key.length > MAX_KEY_LENGTH ||
      !isStorableText(key)
    )
      throw invalidInput({
        path: IDEMPOTENCY_HEADER,
        message: `must be 1 to ${MAX_KEY_LENGTH} characters (one header)`,
      });
    const res = context.switchToHttp().getResponse<Response>();
    const userId = req.user.id;
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([req.method, req.route?.path ?? req.path, req.params, req.body ?? null]),
      )
      .digest('hex');
    return from(
      inAmbientTransaction(this.db, async (m) => {
        // Two copies of one request arriving together: the second waits for the first's answer.
        await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `idempotency:${userId}:${key}`,
        ]);
        const [seen] = await m.query(
          `SELECT request_hash, status_code, response FROM idempotency_keys
            WHERE user_id = $1 AND key = $2 AND created_at > now() - interval '1 day'`,
          [userId, key],
        );
        if (seen) {
          if (seen.request_hash !== fingerprint)
            throw new ApiException(
              HttpStatus.CONFLICT,
              `${IDEMPOTENCY_HEADER}: this key was already used for a different request`,
              [{ path: IDEMPOTENCY_HEADER, message: 'already used for a different request' }],
            );
          res.status(seen.status_code);
          res.setHeader('Idempotent-Replayed', 'true');
          return seen.response;
        }
        const answer = await lastValueFrom(next.handle(), { defaultValue: null });
        await m.query(
          `DELETE FROM idempotency_keys WHERE user_id = $1 AND created_at <= now() - interval '1 day'`,
          [userId],
        );
        await m.query(
          `INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response)
           VALUES ($1, $2, $3, $4, $5)`,
          [userId, key, fingerprint, res.statusCode, JSON.stringify(answer)],
        );
        return answer;
      }),
    );
  }
}

/** Marks a create as retry-safe with `Idempotency-Key` (and documents the header). */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description:
        'Client-chosen key (1-200 characters) that makes a retry of this create safe: the same key replays the first answer for a day',
    }),
  );
