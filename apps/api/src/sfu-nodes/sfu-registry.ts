import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import {
  sfuDrainKey,
  sfuNodeKeyPattern,
  SfuNodeAnnouncementSchema,
  type SfuNodeAnnouncement,
} from '@caunoi/shared';
import { APP_CONFIG, AppConfig } from '../config/config.module';

export type LiveSfuNode = SfuNodeAnnouncement & { drainedByAdmin: boolean };

/**
 * The live SFU nodes as they announce themselves in Redis (a key per node with a time to live:
 * a node that stops beating is gone when its key expires) and the drain flags administrators
 * set. Redis access only, no rules: placement decides what the nodes are used for.
 */
@Injectable()
export class SfuRegistry implements OnModuleDestroy {
  private readonly redis: Redis | null;
  private readonly prefix: string;
  private readonly log = new Logger('SfuRegistry');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.REDIS_KEY_PREFIX;
    this.redis = config.REDIS_URL
      ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
      : null;
    this.redis?.on('error', (err) => this.log.warn(`Redis unavailable: ${err.message}`));
  }

  /** Without REDIS_URL there is no registry: the one configured SFU serves every session. */
  get enabled(): boolean {
    return this.redis !== null;
  }

  async liveNodes(): Promise<LiveSfuNode[]> {
    if (!this.redis) return [];
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(
        cursor,
        'MATCH',
        sfuNodeKeyPattern(this.prefix),
        'COUNT',
        200,
      );
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    const nodes = values
      .map((v) => {
        if (!v) return null; // expired between SCAN and MGET
        try {
          const parsed = SfuNodeAnnouncementSchema.safeParse(JSON.parse(v));
          return parsed.success ? parsed.data : null;
        } catch {
          return null;
        }
      })
      .filter((n): n is SfuNodeAnnouncement => n !== null);
    if (nodes.length === 0) return [];
    const drained = await this.redis.mget(...nodes.map((n) => sfuDrainKey(this.prefix, n.id)));
    return nodes.map((n, i) => ({ ...n, drainedByAdmin: drained[i] !== null }));
  }

  async setDrained(nodeId: string, draining: boolean): Promise<void> {
    if (!this.redis) return;
    if (draining) await this.redis.set(sfuDrainKey(this.prefix, nodeId), new Date().toISOString());
    else await this.redis.del(sfuDrainKey(this.prefix, nodeId));
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
