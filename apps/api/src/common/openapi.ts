import { RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ApiNoContentResponse, ApiResponse } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import type { z } from 'zod';
import * as shared from '@caunoi/shared';
import { listOf } from '@caunoi/shared';

/**
 * The success answers of the routes at /api/docs, from the response schemas in @caunoi/shared,
 * so the documentation cannot drift from the contract. Documentation only: nothing is validated
 * or reshaped at run time. A schema is named after its export (`PatientDetailSchema` →
 * `PatientDetail`); place these decorators above the route's own (`@Get`, `@HttpCode`), whose
 * status they read.
 */

const names = new Map<unknown, string>();
for (const [key, value] of Object.entries(shared))
  if (key.endsWith('Schema') && typeof value === 'object' && value && '_zod' in value)
    names.set(value, key.slice(0, -'Schema'.length));

const dtos = new Map<z.ZodType, Type>();
const lists = new Map<z.ZodType, z.ZodType>();

function dtoOf(schema: z.ZodType, name: string): Type {
  let dto = dtos.get(schema);
  if (!dto) {
    const base = createZodDto(schema) as unknown as Type & { Output: Type };
    const input = class extends base {};
    Object.defineProperty(input, 'name', { value: name });
    // The output form: defaults applied, as the API answers (named `<name>_Output`).
    dto = input.Output;
    dtos.set(schema, dto);
  }
  return dto;
}

function nameOf(schema: z.ZodType): string {
  const name = names.get(schema);
  if (!name) throw new Error('@Answers: the schema must be exported by @caunoi/shared');
  return name;
}

/** The status the route answers on success: its @HttpCode, else 201 for POST and 200 otherwise. */
function successStatus(handler: object): number {
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  if (method === undefined) throw new Error('@Answers must be placed above the route decorator');
  const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  return code ?? (method === RequestMethod.POST ? 201 : 200);
}

function answer(make: (status: number) => MethodDecorator): MethodDecorator {
  return (target, key, descriptor) => {
    make(successStatus(descriptor.value as object))(target, key, descriptor);
  };
}

/** The route answers one shared schema. */
export function Answers(schema: z.ZodType): MethodDecorator {
  const type = dtoOf(schema, nameOf(schema));
  return answer((status) => ApiResponse({ status, type }));
}

/** The route answers the list envelope `{ items, total? }` of a shared item schema. */
export function AnswersList(item: z.ZodType): MethodDecorator {
  let list = lists.get(item);
  if (!list) lists.set(item, (list = listOf(item)));
  const type = dtoOf(list, `${nameOf(item)}List`);
  return answer((status) => ApiResponse({ status, type }));
}

/** The route answers a file or text document of this media type. */
export function AnswersFile(mediaType: string, description: string): MethodDecorator {
  return answer((status) =>
    ApiResponse({
      status,
      description,
      content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
    }),
  );
}

/** The route answers 204 without a body. */
export function AnswersNothing(description: string): MethodDecorator {
  return ApiNoContentResponse({ description });
}
