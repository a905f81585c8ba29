import os from 'node:os';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import {
  SFU_HEARTBEAT_MS,
  SFU_HEARTBEAT_TTL_MS,
  sfuNodeKey,
  type SfuNodeAnnouncement,
} from '@caunoi/shared';
import type { ClusterConfig } from './cluster-config';

export interface NodeLoad {
  rooms: number;
  peers: number;
  consumers: number;
}

/**
 * Announces this SFU node in Redis: one key with its address, region and load, written again on
 * every heartbeat with a time to live, so a node that dies (kill -9, host lost) disappears from
 * placement within the TTL without anyone having to notice. A Redis outage only pauses the
 * announcements (rooms go on forwarding media); the node reappears at the next beat after it.
 */
export class NodeAnnouncer {
  private readonly redis: Redis;
  private timer: NodeJS.Timeout | null = null;
  private draining = false;
  private readonly startedAt = new Date().toISOString();
  private readonly key: string;

  constructor(
    private readonly config: ClusterConfig,
    private readonly port: number,
    private readonly workers: number,
    private readonly load: () => NodeLoad,
    private readonly log: Logger,
  ) {
    this.key = sfuNodeKey(config.keyPrefix, config.nodeId);
    this.redis = new Redis(config.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    this.redis.on('error', () => {}); // logged once per failed beat instead
  }

  get nodeId(): string {
    return this.config.nodeId;
  }

  async start(): Promise<void> {
    await this.redis.connect().catch((err) => this.log.warn({ err: err.message }, 'Redis'));
    await this.beat();
    this.timer = setInterval(() => void this.beat(), SFU_HEARTBEAT_MS);
    this.timer.unref();
    this.log.info({ node: this.config.nodeId, region: this.config.region }, 'SFU node announced');
  }

  /** Maintenance: the API places no new room here; rooms already here go on. */
  async drain(): Promise<void> {
    this.draining = true;
    this.log.info({ node: this.config.nodeId }, 'draining: no new rooms');
    await this.beat();
  }

  announcement(): SfuNodeAnnouncement {
    const load = this.load();
    return {
      id: this.config.nodeId,
      url: this.config.publicUrl(this.port),
      ...(this.config.publicPath ? { path: this.config.publicPath } : {}),
      internalUrl: this.config.internalUrl(this.port),
      region: this.config.region,
      workers: this.workers,
      maxRooms: this.config.maxRooms,
      ...load,
      cpu: Math.round((os.loadavg()[0] / Math.max(1, os.cpus().length)) * 100) / 100,
      draining: this.draining,
      startedAt: this.startedAt,
      at: new Date().toISOString(),
    };
  }

  private async beat(): Promise<void> {
    try {
      await this.redis.set(
        this.key,
        JSON.stringify(this.announcement()),
        'PX',
        SFU_HEARTBEAT_TTL_MS,
      );
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'heartbeat not written');
    }
  }

  /** A clean stop leaves at once, so its sessions are placed elsewhere without waiting the TTL. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.redis.del(this.key).catch(() => {});
    this.redis.disconnect();
  }
}
