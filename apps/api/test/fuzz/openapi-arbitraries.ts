import fc from 'fast-check';

/** Just enough of an OpenAPI 3 document to fuzz every operation it lists. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  nullable?: boolean;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzOperation {
  method: string;
  path: string;
  pathParams: string[];
  query: Parameter[];
  body?: { type: string; schema?: Schema };
}

export function operationsOf(doc: OpenApiDoc): FuzzOperation[] {
  const ops: FuzzOperation[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const [type] = Object.keys(content);
      ops.push({
        method: method.toUpperCase(),
        path: p,
        pathParams: [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        query: params.filter((x) => x.in === 'query'),
        body: type ? { type, schema: content[type].schema } : undefined,
      });
    }
  }
  return ops;
}

/** Text that breaks naive handling: NUL, lone surrogates, huge, control characters, paths, SQL. */
export const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '../../etc/passwd',
    "' OR 1=1 --",
    '%00',
    '%',
    '\u202e\u0007\u001b[31m',
    '{"a":',
    'null',
    '-1',
    '1e309',
    'NaN',
    '0000-00-00',
    '2026-13-45T25:61:00Z',
    '9999999999999999999999',
    'x'.repeat(5000),
    '😷'.repeat(300),
  ),
);

const junk = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Values shaped by `schema` most of the time, junk the rest, to reach past the first check. */
export function valueOf(
  schema: Schema | undefined,
  doc: OpenApiDoc,
  pools: fc.Arbitrary<string>,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return junk;
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return valueOf(doc.components?.schemas?.[name], doc, pools, depth + 1);
  }
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (variants?.length)
    return fc.oneof(...variants.map((v) => valueOf(v, doc, pools, depth + 1)), junk);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  let shaped: fc.Arbitrary<unknown>;
  if (schema.enum?.length) shaped = fc.constantFrom(...schema.enum);
  else if (type === 'object' || schema.properties) {
    const props = Object.entries(schema.properties ?? {});
    shaped = fc
      .tuple(
        fc.record(
          Object.fromEntries(props.map(([k, v]) => [k, valueOf(v, doc, pools, depth + 1)])),
          { requiredKeys: [] },
        ),
        fc.dictionary(nastyString, junk, { maxKeys: 2 }),
        fc.boolean(),
      )
      .map(([known, extra, withExtra]) => (withExtra ? { ...known, ...extra } : known));
  } else if (type === 'array')
    shaped = fc.array(valueOf(schema.items, doc, pools, depth + 1), { maxLength: 4 });
  else if (type === 'integer') shaped = fc.oneof(fc.integer({ min: -5, max: 500 }), fc.integer());
  else if (type === 'number') shaped = fc.oneof(fc.double({ noNaN: true }), fc.integer());
  else if (type === 'boolean') shaped = fc.boolean();
  else if (schema.format === 'uuid') shaped = fc.oneof(pools, fc.uuid(), nastyString);
  else if (schema.format === 'date-time')
    shaped = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      nastyString,
    );
  else if (schema.format === 'email') shaped = fc.oneof(fc.emailAddress(), nastyString);
  else shaped = fc.oneof(fc.string({ maxLength: 40 }), nastyString);
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: junk });
}
