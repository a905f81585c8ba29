import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ZodValidationPipe } from 'nestjs-zod';

/**
 * The global validation pipe: nestjs-zod's, except that a request without a body (no
 * Content-Type, e.g. `POST /auth/logout` with only the bearer token) is validated as `{}`.
 * Without this, every DTO body answered "(root): expected object" — an optional body was
 * refused, and a missing required field was not named (SPEC: 400 naming fields).
 */
@Injectable()
export class ValidationPipe implements PipeTransform {
  private readonly zod = new ZodValidationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const missingBody = metadata.type === 'body' && value === undefined && (metadata.metatype as { isZodDto?: boolean } | undefined)?.isZodDto === true;
    return this.zod.transform(missingBody ? {} : value, metadata);
  }
}
