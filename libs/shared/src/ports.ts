/** Default ports (SPEC "Default ports"); every one is overridable by env. */
export const DEFAULT_PORTS = {
  web: 8080,
  api: 3000,
  sfuSignalling: 4000,
  sfuMedia: 40000,
  embeddedPostgres: 5433,
} as const;
