import { z } from 'zod';

/** `GET /health`: the process answers; whether the database does too. */
export const HealthSchema = z.object({ status: z.literal('ok'), db: z.enum(['up', 'down']) });
export type Health = z.infer<typeof HealthSchema>;

/** `GET /health/ready`: ready for traffic (the database answers); 503 otherwise. */
export const ReadinessSchema = z.object({ status: z.literal('ready'), db: z.literal('up') });
export type Readiness = z.infer<typeof ReadinessSchema>;

/**
 * A FHIR R4 Bundle as the exports answer it (`application/fhir+json`): the envelope is fixed
 * here; each entry's resource follows the FHIR specification, not a schema of ours.
 */
export const FhirBundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  id: z.string(),
  type: z.string(),
  timestamp: z.string(),
  entry: z.array(
    z.object({
      fullUrl: z.string(),
      resource: z.looseObject({ resourceType: z.string() }),
    }),
  ),
});
export type FhirBundle = z.infer<typeof FhirBundleSchema>;
