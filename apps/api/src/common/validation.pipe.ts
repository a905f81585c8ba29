import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ZodValidationPipe } from 'nestjs-zod';
import { findInvalidText, INVALID_TEXT_MESSAGE } from '@caunoi/shared';
import { invalidInput } from './errors';

/**
 * The global validation pipe: nestjs-zod's, with two normalisations before the schema runs.
 * - A request without a body (no Content-Type, e.g. `POST /auth/logout` with only the bearer
 *   token) is validated as `{}`: an optional body is not refused, a missing field is named.
 * - An empty query parameter is an absent one: SPEC writes its filters as templates
 *   (`GET /consultations?status=&urgency=&role=`, `GET /audit?patientId=&actorId=&from=&to=`),
 *   and `?status=submitted&urgency=&role=` must not be a 400 for the empty ones.
 * And one check before any schema: text PostgreSQL cannot store (a NUL character, a lone
 * surrogate) anywhere in a body, query or path parameter is a 400 naming the field, also where
 * a value has no schema of its own.
 */
@Injectable()
export class ValidationPipe implements PipeTransform {
  private readonly zod = new ZodValidationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const bad = findInvalidText(value);
      if (bad !== null) {
        const path = bad === '(root)' && metadata.data ? metadata.data : bad;
        throw invalidInput({ path, message: INVALID_TEXT_MESSAGE });
      }
    }
    const zodDto = (metadata.metatype as { isZodDto?: boolean } | undefined)?.isZodDto === true;
    if (zodDto && metadata.type === 'body' && value === undefined)
      return this.zod.transform({}, metadata);
    if (zodDto && metadata.type === 'query' && value && typeof value === 'object')
      return this.zod.transform(withoutEmpty(value as Record<string, unknown>), metadata);
    return this.zod.transform(value, metadata);
  }
}

function withoutEmpty(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(query)) {
    const kept = Array.isArray(v) ? v.filter((x) => x !== '') : v;
    if (kept === '' || (Array.isArray(kept) && kept.length === 0)) continue;
    out[key] = Array.isArray(kept) && kept.length === 1 ? kept[0] : kept;
  }
  return out;
}
