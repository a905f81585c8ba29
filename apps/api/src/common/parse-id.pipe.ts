import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { invalidInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route ids are UUIDs; a malformed one is a 400 that names the parameter, like body validation. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    const name = meta.data ?? 'id';
    if (!UUID.test(value))
      throw invalidInput(
        { path: name, message: 'Invalid UUID' },
        `Invalid request: ${name}: must be a UUID`,
      );
    return value.toLowerCase();
  }
}
