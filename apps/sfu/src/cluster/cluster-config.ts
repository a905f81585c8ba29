import os from 'node:os';
import { z } from 'zod';
import { DEFAULT_REDIS_KEY_PREFIX, RegionSchema } from '@caunoi/shared';
import { ConfigError } from '../config/config';

/**
 * The SFU's part in a several-node deployment, read from the environment once at start like the
 * rest of its configuration. Without REDIS_URL the node announces nothing and the API keeps
 * handing out its single SFU_PUBLIC_URL.
 */
const ClusterEnvSchema = z.object({
  REDIS_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined),
  REDIS_KEY_PREFIX: z.string().trim().min(1).max(100).default(DEFAULT_REDIS_KEY_PREFIX),
  SFU_NODE_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'letters, digits, dot, dash, colon or underscore')
    .optional(),
  SFU_REGION: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .pipe(RegionSchema.optional()),
  SFU_PUBLIC_URL: z.url().optional(),
  SFU_PUBLIC_PATH: z.string().startsWith('/').optional(),
  SFU_INTERNAL_URL: z.url().optional(),
  SFU_MAX_ROOMS: z.coerce.number().int().positive().default(50),
});

export interface ClusterConfig {
  redisUrl: string;
  keyPrefix: string;
  nodeId: string;
  region: z.infer<typeof RegionSchema> | null;
  /** Resolved once the signalling port is bound (port 0 in tests). */
  publicUrl: (port: number) => string;
  publicPath?: string;
  internalUrl: (port: number) => string;
  maxRooms: number;
}

/** Null when the node runs alone (no REDIS_URL). Throws with the variable's name when invalid. */
export function loadClusterConfig(env: NodeJS.ProcessEnv = process.env): ClusterConfig | null {
  const r = ClusterEnvSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid SFU environment:\n  ${lines.join('\n  ')}`);
  }
  const e = r.data;
  if (!e.REDIS_URL) return null;
  return {
    redisUrl: e.REDIS_URL,
    keyPrefix: e.REDIS_KEY_PREFIX,
    nodeId: e.SFU_NODE_ID ?? `${os.hostname()}-${process.pid}`,
    region: e.SFU_REGION ?? null,
    publicUrl: (port) => e.SFU_PUBLIC_URL ?? `http://localhost:${port}`,
    publicPath: e.SFU_PUBLIC_PATH,
    internalUrl: (port) => e.SFU_INTERNAL_URL ?? `http://127.0.0.1:${port}`,
    maxRooms: e.SFU_MAX_ROOMS,
  };
}
