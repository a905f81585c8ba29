import { z } from 'zod';
import { ConsultationDetailSchema, PatientDetailSchema } from '@caunoi/shared';
import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}
interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, unknown>;
  required?: string[];
  anyOf?: unknown[];
  oneOf?: unknown[];
  format?: string;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The success answers of the REST routes at /api/docs come from the shared response schemas. */
describe('OpenAPI document: response schemas', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http().get('/api/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );
  const resolve = (schema: JsonSchema): JsonSchema =>
    schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;

  it('every route documents a 2xx answer with a schema (204: no body)', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(87);
    const missing: string[] = [];
    for (const { route, op } of ops) {
      const success = Object.entries(op.responses ?? {}).filter(([status]) =>
        /^2\d\d$/.test(status),
      );
      if (success.length === 0) {
        missing.push(`${route}: no 2xx answer`);
        continue;
      }
      for (const [status, answer] of success) {
        if (status === '204') {
          if (answer.content) missing.push(`${route}: 204 with a body`);
          continue;
        }
        const schemas = Object.values(answer.content ?? {}).map((c) => c.schema);
        if (schemas.length === 0 || schemas.some((s) => !s))
          missing.push(`${route}: ${status} without a schema`);
        for (const s of schemas) {
          const resolved = s && resolve(s);
          const described =
            !!resolved &&
            (!!resolved.properties ||
              !!resolved.anyOf ||
              !!resolved.oneOf ||
              resolved.format === 'binary');
          if (s && !described) missing.push(`${route}: ${status} schema is empty`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('a documented answer is the shared schema (required fields as the contract says)', () => {
    const answer = (route: string, method: string, status: string) =>
      resolve(doc.paths[route][method].responses[status].content!['application/json'].schema!);
    const required = (schema: z.ZodType) =>
      [...((z.toJSONSchema(schema, { io: 'output' }) as JsonSchema).required ?? [])].sort();
    const patient = answer('/api/patients/{id}', 'get', '200');
    expect([...(patient.required ?? [])].sort()).toEqual(required(PatientDetailSchema));
    expect(Object.keys(patient.properties ?? {})).toEqual(
      expect.arrayContaining(['consents', 'fullName']),
    );
    const accepted = answer('/api/consultations/{id}/accept', 'post', '200');
    expect([...(accepted.required ?? [])].sort()).toEqual(required(ConsultationDetailSchema));
    const created = doc.paths['/api/consultations'].post.responses;
    expect(Object.keys(created)).toContain('201');
    const list = answer('/api/consultations', 'get', '200');
    expect(list.required).toEqual(['items']);
    expect(Object.keys(list.properties ?? {})).toEqual(['items', 'total']);
  });
});
