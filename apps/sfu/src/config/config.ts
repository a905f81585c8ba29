import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PORTS, TurnUrlsSchema } from '@caunoi/shared';

/**
 * The SFU's whole environment, validated once at start by one schema. The rest of the code reads
 * the typed `SfuConfig` and never touches process.env.
 */
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const IceServerSchema = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

const iceServersJson = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw || !raw.trim()) return [] as IceServer[];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of RTCIceServer objects' });
      return z.NEVER;
    }
    const result = z.array(IceServerSchema).safeParse(parsed);
    if (!result.success) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a JSON array of {urls, username?, credential?}: ${result.error.issues[0]?.message}`,
      });
      return z.NEVER;
    }
    return result.data;
  });

export const SfuEnvSchema = z
  .object({
    SFU_PORT: port.default(DEFAULT_PORTS.sfuSignalling),
    SFU_HOST: z.string().min(1).default('0.0.0.0'),
    /** First WebRtcServer port; worker i listens on SFU_RTC_PORT + i (UDP and TCP). 0 = random (tests). */
    SFU_RTC_PORT: port.default(DEFAULT_PORTS.sfuMedia),
    SFU_LISTEN_IP: z.string().min(1).default('0.0.0.0'),
    /** Address put in ICE candidates: the public IP or DNS name clients can reach. */
    SFU_ANNOUNCED_ADDRESS: z.string().min(1).default('127.0.0.1'),
    SFU_WORKERS: positiveInt.max(256).default(Math.max(1, os.cpus().length)),
    /** Consumers a router may carry before new peers of the room go to another worker's router. */
    SFU_MAX_CONSUMERS_PER_ROUTER: positiveInt.default(500),
    SFU_RECONNECT_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
    ICE_SERVERS: iceServersJson,
    /** TURN servers (coturn use-auth-secret) the peers get time-limited credentials for. */
    TURN_URLS: optionalString.pipe(TurnUrlsSchema.optional()),
    TURN_SECRET: optionalString.pipe(
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
    /** Lifetime of the SFU's TURN credentials: at least the longest session. */
    TURN_CREDENTIAL_TTL_SECONDS: positiveInt.default(24 * 3600),
    /** Cap on what one client may send (bit/s), applied to every send transport. */
    SFU_MAX_INCOMING_BITRATE: positiveInt.default(1_500_000),
    /** Cap on what one client is sent (bit/s) per receive transport; unset = no cap. */
    SFU_MAX_OUTGOING_BITRATE: positiveInt.optional(),
    // Below a commune's 3G/DSL link: starting above it floods the link before the estimate
    // comes down (the estimate then climbs within seconds on a good link).
    SFU_INITIAL_OUTGOING_BITRATE: positiveInt.default(300_000),
    JOIN_TOKEN_PUBLIC_KEY: optionalString,
    JOIN_TOKEN_PUBLIC_KEY_FILE: optionalString,
    API_URL: optionalString.pipe(z.url().optional()),
    SFU_SERVICE_TOKEN: optionalString,
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    MEDIASOUP_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
    /** `/metrics` to any client; by default only to this host (a local Prometheus or agent). */
    SFU_METRICS_PUBLIC: z.enum(['true', 'false']).default('false'),
    /** Where recordings are written while they last (deleted once delivered to the API). */
    SFU_RECORDING_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'caunoi-recordings')),
    /** The ffmpeg binary that records (RTP copied, never re-encoded) and muxes the tracks. */
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  })
  .superRefine((env, ctx) => {
    if (!env.TURN_URLS !== !env.TURN_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['TURN_SECRET'],
        message: 'TURN_URLS and TURN_SECRET go together (the secret is coturn static-auth-secret)',
      });
    if (!env.JOIN_TOKEN_PUBLIC_KEY && !env.JOIN_TOKEN_PUBLIC_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['JOIN_TOKEN_PUBLIC_KEY'],
        message:
          'set JOIN_TOKEN_PUBLIC_KEY (PEM) or JOIN_TOKEN_PUBLIC_KEY_FILE (path to a PEM file): the API’s ES256 public key',
      });
    }
  });

export interface TurnConfig {
  urls: string[];
  secret: string;
  ttlSeconds: number;
}

export interface SfuConfig {
  port: number;
  host: string;
  rtc: {
    basePort: number;
    listenIp: string;
    announcedAddress: string;
  };
  workers: number;
  maxConsumersPerRouter: number;
  reconnectGraceMs: number;
  iceServers: IceServer[];
  turn: TurnConfig | null;
  maxIncomingBitrate: number;
  maxOutgoingBitrate?: number;
  initialOutgoingBitrate: number;
  joinTokenPublicKey: string;
  attendance: { apiUrl?: string; serviceToken?: string };
  logLevel: string;
  mediasoupLogLevel: 'debug' | 'warn' | 'error' | 'none';
  /** Serve /metrics to remote clients too (else loopback only). */
  metricsPublic?: boolean;
  recording: { dir: string; ffmpegPath: string };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse and validate the environment. Throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SfuConfig {
  const result = SfuEnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid SFU environment:\n  ${lines.join('\n  ')}`);
  }
  const e = result.data;
  let publicKey = e.JOIN_TOKEN_PUBLIC_KEY?.replace(/\\n/g, '\n');
  if (!publicKey && e.JOIN_TOKEN_PUBLIC_KEY_FILE) {
    try {
      publicKey = readFileSync(e.JOIN_TOKEN_PUBLIC_KEY_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `Invalid SFU environment:\n  JOIN_TOKEN_PUBLIC_KEY_FILE: cannot read ${e.JOIN_TOKEN_PUBLIC_KEY_FILE} (${(err as Error).message})`,
      );
    }
  }
  if (!publicKey || !publicKey.includes('-----BEGIN')) {
    throw new ConfigError(
      `Invalid SFU environment:\n  ${e.JOIN_TOKEN_PUBLIC_KEY ? 'JOIN_TOKEN_PUBLIC_KEY' : 'JOIN_TOKEN_PUBLIC_KEY_FILE'}: not a PEM public key (expected "-----BEGIN PUBLIC KEY-----")`,
    );
  }
  return {
    port: e.SFU_PORT,
    host: e.SFU_HOST,
    rtc: {
      basePort: e.SFU_RTC_PORT,
      listenIp: e.SFU_LISTEN_IP,
      announcedAddress: e.SFU_ANNOUNCED_ADDRESS,
    },
    workers: e.SFU_WORKERS,
    maxConsumersPerRouter: e.SFU_MAX_CONSUMERS_PER_ROUTER,
    reconnectGraceMs: Math.round(e.SFU_RECONNECT_GRACE_SECONDS * 1000),
    iceServers: e.ICE_SERVERS,
    turn:
      e.TURN_URLS && e.TURN_SECRET
        ? { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_CREDENTIAL_TTL_SECONDS }
        : null,
    maxIncomingBitrate: e.SFU_MAX_INCOMING_BITRATE,
    maxOutgoingBitrate: e.SFU_MAX_OUTGOING_BITRATE,
    initialOutgoingBitrate: e.SFU_INITIAL_OUTGOING_BITRATE,
    joinTokenPublicKey: publicKey,
    attendance: { apiUrl: e.API_URL?.replace(/\/+$/, ''), serviceToken: e.SFU_SERVICE_TOKEN },
    logLevel: e.LOG_LEVEL,
    mediasoupLogLevel: e.MEDIASOUP_LOG_LEVEL,
    metricsPublic: e.SFU_METRICS_PUBLIC === 'true',
    recording: { dir: e.SFU_RECORDING_DIR, ffmpegPath: e.FFMPEG_PATH },
  };
}
