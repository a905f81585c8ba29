import { z } from 'zod';

/**
 * Several SFU nodes (issue: one SFU host is a single point of failure). Each SFU process
 * announces itself in Redis under `<prefix>:sfu:node:<id>` with a TTL it renews on every
 * heartbeat; the API places each session on one live node and records the placement in
 * PostgreSQL. Redis holds only what is alive now; where a session is lives in PostgreSQL.
 */

/** The regions of the network: a facility may name one, an SFU node announces one. */
export const REGIONS = ['north', 'central', 'south'] as const;
export const RegionSchema = z.enum(REGIONS);
export type Region = z.infer<typeof RegionSchema>;

/** Default key prefix (REDIS_KEY_PREFIX): one Redis may serve several deployments or test runs. */
export const DEFAULT_REDIS_KEY_PREFIX = 'caunoi';
export const sfuNodeKey = (prefix: string, nodeId: string): string =>
  `${prefix}:sfu:node:${nodeId}`;
export const sfuNodeKeyPattern = (prefix: string): string => `${prefix}:sfu:node:*`;
/** Set by an administrator through the API: the node takes no new rooms (survives its restarts). */
export const sfuDrainKey = (prefix: string, nodeId: string): string =>
  `${prefix}:sfu:drain:${nodeId}`;

/** Heartbeat period and time to live: a node silent for five beats is dead. */
export const SFU_HEARTBEAT_MS = 1_000;
export const SFU_HEARTBEAT_TTL_MS = 5_000;

const NodeIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, dot, dash, colon or underscore');

/** What one SFU node writes on every heartbeat (JSON value of its key). */
export const SfuNodeAnnouncementSchema = z.object({
  id: NodeIdSchema,
  /** Where browsers reach this node's signalling (`sfuUrl` of the join answer). */
  url: z.url(),
  /** socket.io path when the node is served under a path of a shared origin. */
  path: z.string().startsWith('/').optional(),
  /** Where the API sends this node its commands (end a room). */
  internalUrl: z.url(),
  region: RegionSchema.nullable(),
  workers: z.number().int().positive(),
  /** Rooms this node accepts before the API prefers another (placement capacity). */
  maxRooms: z.number().int().positive(),
  rooms: z.number().int().min(0),
  peers: z.number().int().min(0),
  consumers: z.number().int().min(0),
  /** Machine load: 1-minute load average per core (1 = every core busy). */
  cpu: z.number().min(0),
  /** Drained by a signal to the process (SIGUSR2): no new rooms here. */
  draining: z.boolean(),
  startedAt: z.iso.datetime({ offset: true }),
  at: z.iso.datetime({ offset: true }),
});
export type SfuNodeAnnouncement = z.infer<typeof SfuNodeAnnouncementSchema>;

/** `GET /sfu-nodes` (admins): the live nodes and what the API has placed on each. */
export const SfuNodeStatusSchema = SfuNodeAnnouncementSchema.extend({
  /** Drained by the process itself or by an administrator. */
  draining: z.boolean(),
  drainedByAdmin: z.boolean(),
  /** Sessions placed on this node that have not ended. */
  placedSessions: z.number().int().min(0),
});
export type SfuNodeStatus = z.infer<typeof SfuNodeStatusSchema>;
export const SfuNodeListSchema = z.object({ items: z.array(SfuNodeStatusSchema) });
export type SfuNodeList = z.infer<typeof SfuNodeListSchema>;

/** `PUT /sfu-nodes/:id/drain` — take a node out of placement (true) or back in (false). */
export const SfuNodeParamsSchema = z.object({ id: NodeIdSchema });
export const DrainSfuNodeSchema = z.object({ draining: z.boolean() });
export type DrainSfuNode = z.infer<typeof DrainSfuNodeSchema>;
export const DrainSfuNodeResponseSchema = z.object({
  id: NodeIdSchema,
  draining: z.boolean(),
});
export type DrainSfuNodeResponse = z.infer<typeof DrainSfuNodeResponseSchema>;
