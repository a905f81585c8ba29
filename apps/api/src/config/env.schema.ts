import { readFileSync } from 'node:fs';
import { parseStorageKey } from '../attachments/attachment-cipher';
import { z } from 'zod';
import { DEFAULT_REDIS_KEY_PREFIX, ROLES, TurnUrlsSchema, type Role } from '@caunoi/shared';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const intFrom = (def: number, min = 1) => z.coerce.number().int().min(min).default(def);

const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/** The storage key as bytes, or null (files stored as received). */
function storageKey(raw: string | undefined): Buffer | null {
  if (!raw) return null;
  try {
    return parseStorageKey(raw);
  } catch (err) {
    throw new InvalidEnvironmentError(
      `Invalid environment:\n  STORAGE_KEY: ${(err as Error).message}`,
    );
  }
}

/** socket.io path of the SFU behind the one public origin (the web server strips `/sfu`). */
export const SFU_SIGNALLING_PATH = '/sfu/socket.io';

/**
 * Where clients reach the SFU: an explicit SFU_PUBLIC_URL (its own host or port, default path),
 * else the public origin with the SFU under SFU_SIGNALLING_PATH, else the SFU's development port.
 */
function sfuAddress(explicit: string | undefined, publicUrl: string | undefined) {
  if (explicit) return { SFU_PUBLIC_URL: explicit, SFU_PUBLIC_PATH: undefined };
  if (publicUrl)
    return { SFU_PUBLIC_URL: new URL(publicUrl).origin, SFU_PUBLIC_PATH: SFU_SIGNALLING_PATH };
  return { SFU_PUBLIC_URL: 'http://localhost:4000', SFU_PUBLIC_PATH: undefined };
}

const parseRoles = (raw: string): Role[] =>
  raw
    .split(',')
    .map((r) => r.trim())
    .filter((r): r is Role => (ROLES as readonly string[]).includes(r));

/**
 * The one description of the environment. Everything the API reads from process.env goes
 * through here, so a bad value stops the process at start with the variable's name.
 */
export const EnvSchema = z
  .object({
    PORT: intFrom(3000, 0),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    // The schema owner's URL: migrations run as it and DATABASE_URL's role gets row rights only.
    DATABASE_MIGRATION_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    ACCESS_TOKEN_TTL_SECONDS: intFrom(900),
    REFRESH_TOKEN_TTL_SECONDS: intFrom(2592000),
    ATTACHMENTS_DIR: z.string().min(1).default('./.data/attachments'),
    /** AES-256-GCM key of attachments at rest (64 hex digits or base64 of 32 bytes). */
    STORAGE_KEY: z.string().optional(),
    STORAGE_KEY_FILE: z.string().optional(),
    MAX_ATTACHMENT_BYTES: intFrom(50 * 1024 * 1024),
    // What a deflated DICOM may inflate to when its header is read (a decompression bomb → 413).
    MAX_DICOM_INFLATED_BYTES: intFrom(64 * 1024 * 1024),
    MAX_LAB_RESULTS_BYTES: intFrom(1024 * 1024),
    // PACS (DICOMweb): the deadline of each request (for a retrieve: to the answer and between
    // two chunks), and what one import may fetch at most.
    PACS_TIMEOUT_SECONDS: intFrom(30),
    PACS_IMPORT_MAX_INSTANCES: intFrom(500),
    PACS_IMPORT_MAX_BYTES: intFrom(2 * 1024 * 1024 * 1024),
    // The DICOM receiver (C-STORE) of the facilities' inboxes: its TCP port; unset: off.
    DICOM_SCP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    // What one facility's DICOM inbox may hold (instances nobody attached yet); senders past it
    // get a C-STORE "out of resources" status.
    DICOM_INBOX_MAX_BYTES: intFrom(20 * 1024 * 1024 * 1024),
    // Storage quotas: per request (files, bytes) and per requesting facility (bytes). A CT or MR
    // study is one file per slice (hundreds), so the file count is high; the bytes still bound it.
    MAX_ATTACHMENTS_PER_CONSULTATION: intFrom(2000),
    MAX_CONSULTATION_ATTACHMENT_BYTES: intFrom(1024 * 1024 * 1024),
    FACILITY_ATTACHMENT_QUOTA_BYTES: intFrom(200 * 1024 * 1024 * 1024),
    // Closed consultations (minutes, files, chat) are kept at least this long; never below 10 years.
    RETENTION_YEARS: intFrom(10, 10),
    // How often the purge job runs (0: never); it deletes only what protects nobody.
    PURGE_INTERVAL_MINUTES: intFrom(1440, 0),
    SEED_DEMO: bool,
    DEMO_PASSWORD: z.string().min(8).default('CauNoi#2026'),
    JOIN_TOKEN_PRIVATE_KEY: z.string().optional(),
    JOIN_TOKEN_PRIVATE_KEY_FILE: z.string().optional(),
    JOIN_TOKEN_TTL_SECONDS: intFrom(120),
    /** The one public origin (web, REST, sockets, SFU signalling under /sfu/socket.io). */
    PUBLIC_URL: z.string().url().optional(),
    SFU_PUBLIC_URL: z.string().url().optional(),
    ICE_SERVERS: z
      .string()
      .default('[]')
      .transform((raw, ctx) => {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array' });
          return z.NEVER;
        }
      })
      .pipe(z.array(iceServerSchema)),
    SFU_SERVICE_TOKEN: z.string().min(16).optional(),
    /** TURN servers (coturn) that clients get time-limited credentials for; needs TURN_SECRET. */
    TURN_URLS: TurnUrlsSchema.optional(),
    TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    // Where the API sends commands to the SFU (end a session); default: the SFU on this host.
    SFU_INTERNAL_URL: z.string().url().optional(),
    SFU_PORT: intFrom(4000, 0),
    // A session still in progress this long after its end, with nobody in the room, ends by itself;
    // after the overrun limit it ends even if someone seems to be there (a lost leave report).
    SESSION_END_GRACE_MINUTES: intFrom(15, 0),
    SESSION_MAX_OVERRUN_MINUTES: intFrom(240),
    // How often the session lifecycle job looks (0: never; tests drive it themselves).
    SESSION_SWEEP_SECONDS: intFrom(30, 0),
    REDIS_URL: z.string().optional(),
    // Keys of this deployment in a Redis shared with others (SFU node registry).
    REDIS_KEY_PREFIX: z.string().trim().min(1).max(100).default(DEFAULT_REDIS_KEY_PREFIX),
    CORS_ORIGINS: z
      .string()
      .default('http://localhost:8080')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    NODE_ENV: z.string().optional(),
    LOGIN_MAX_ATTEMPTS: intFrom(5),
    LOGIN_WINDOW_SECONDS: intFrom(300),
    // Each lockout of an account doubles the wait (window, 2×window, 4×…) up to this ceiling.
    LOGIN_MAX_BACKOFF_SECONDS: intFrom(3600),
    // Express `trust proxy`: only these addresses may set X-Forwarded-For. Never a whole private range.
    TRUST_PROXY: z.string().default('loopback'),
    SEED_DEMO_FORCE: bool,
    // Roles that must sign in with a second factor (`none` for nobody); unset: admin and
    // coordinator, except on the demo network (SEED_DEMO), whose accounts have no authenticator.
    MFA_REQUIRED_ROLES: z
      .string()
      .regex(
        /^(none|\s*((requester|specialist|coordinator|admin)\s*(,\s*|$))*)$/,
        'must be roles separated by commas, or none',
      )
      .optional(),
    TOTP_ISSUER: z.string().min(1).default('Cau Noi'),
    // A sign-in (a refresh-token family) ends this long after the password was entered, however
    // often it is refreshed.
    SESSION_MAX_AGE_SECONDS: intFrom(12 * 3600),
    // The refresh-token cookie is Secure when the request came over HTTPS (`auto`), always, or never.
    REFRESH_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    // OpenAPI UI and JSON at /api/docs: on unless NODE_ENV=production (npm start turns it on).
    API_DOCS: z.enum(['true', 'false']).optional(),
    // Scheduling: how far ahead a suggestion may start, by urgency, and the least notice.
    SCHEDULING_EMERGENCY_HORIZON_MINUTES: intFrom(60),
    SCHEDULING_URGENT_HORIZON_MINUTES: intFrom(24 * 60),
    SCHEDULING_ROUTINE_HORIZON_MINUTES: intFrom(72 * 60),
    SCHEDULING_MIN_NOTICE_MINUTES: intFrom(15, 0),
    // What an invitation to a session grants (the case, its patient, files, minutes) ends this
    // many days after the case is closed (completed, declined, cancelled).
    INVITATION_ACCESS_DAYS: intFrom(30, 0),
    // An emergency request nobody on call claims within this time rings the next tier of the
    // on-call roster and the facility's coordinators.
    EMERGENCY_CLAIM_TIMEOUT_SECONDS: intFrom(180),
    // Machine pre-reads: how often new images are looked for and due readings sent (0: never),
    // how long a reader may take, how often a reader that cannot be reached is tried (the wait
    // doubles from MACHINE_READER_RETRY_SECONDS) and how large its answer may be.
    MACHINE_READING_SWEEP_MS: intFrom(2000, 0),
    MACHINE_READER_TIMEOUT_SECONDS: intFrom(60),
    MACHINE_READER_MAX_ATTEMPTS: intFrom(5),
    MACHINE_READER_RETRY_SECONDS: intFrom(30),
    MACHINE_READER_MAX_ANSWER_BYTES: intFrom(1024 * 1024),
  })
  .refine((env) => !env.TURN_URLS === !env.TURN_SECRET, {
    path: ['TURN_SECRET'],
    message: 'TURN_URLS and TURN_SECRET go together (the secret is coturn static-auth-secret)',
  })
  .transform((env) => ({
    ...env,
    TURN:
      env.TURN_URLS && env.TURN_SECRET ? { urls: env.TURN_URLS, secret: env.TURN_SECRET } : null,
    ...sfuAddress(env.SFU_PUBLIC_URL, env.PUBLIC_URL),
    SFU_INTERNAL_URL: env.SFU_INTERNAL_URL ?? `http://127.0.0.1:${env.SFU_PORT}`,
    // Same-origin pages need no CORS, but a page opened on the public origin is allowed anyway.
    CORS_ORIGINS: env.PUBLIC_URL
      ? [...new Set([...env.CORS_ORIGINS, new URL(env.PUBLIC_URL).origin])]
      : env.CORS_ORIGINS,
    MFA_REQUIRED_ROLES: parseRoles(
      env.MFA_REQUIRED_ROLES ?? (env.SEED_DEMO ? '' : 'admin,coordinator'),
    ),
    API_DOCS: env.API_DOCS ? env.API_DOCS === 'true' : env.NODE_ENV !== 'production',
    STORAGE_KEY: storageKey(
      env.STORAGE_KEY ??
        (env.STORAGE_KEY_FILE ? readFileSync(env.STORAGE_KEY_FILE, 'utf8').trim() : undefined),
    ),
    // The key may come inline (compose secrets as env) or from a file (mounted secret).
    JOIN_TOKEN_PRIVATE_KEY:
      env.JOIN_TOKEN_PRIVATE_KEY ??
      (env.JOIN_TOKEN_PRIVATE_KEY_FILE
        ? readFileSync(env.JOIN_TOKEN_PRIVATE_KEY_FILE, 'utf8')
        : undefined),
  }));

export type AppConfig = z.output<typeof EnvSchema>;

export class InvalidEnvironmentError extends Error {}

/** Parse the environment, or throw one error that names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new InvalidEnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
