import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ApiException } from '../common/errors';
import { PlacementRepository, type Placement, type PlacementTarget } from './placement.repository';
import { SfuRegistry, type LiveSfuNode } from './sfu-registry';

/** Where a join token sends the client: the SFU's signalling URL and socket.io path. */
export interface SfuAddress {
  sfuUrl: string;
  sfuPath?: string;
}

const targetOf = (n: LiveSfuNode): PlacementTarget => ({
  nodeId: n.id,
  sfuUrl: n.url,
  sfuPath: n.path ?? null,
  internalUrl: n.internalUrl,
});
const addressOf = (p: Placement): SfuAddress => ({
  sfuUrl: p.sfuUrl,
  ...(p.sfuPath ? { sfuPath: p.sfuPath } : {}),
});

/**
 * Which SFU node holds a session's room. The first join places the session on a live node that
 * takes new rooms — the least loaded, preferring the region of the facility the case was sent to
 * when a node there has room — and records it; every later join of the session gets that node.
 * When the node has stopped beating (died), the next join moves the session to another node, so
 * clients that reconnect with a fresh token land together on the new node. A drained node keeps
 * the sessions it holds and gets no new ones.
 *
 * Without a registry (no REDIS_URL), or while no node announces itself, every session goes to the
 * one configured SFU (SFU_PUBLIC_URL), as with a single SFU.
 */
@Injectable()
export class PlacementService {
  private readonly log = new Logger('SfuPlacement');

  constructor(
    @Inject(PlacementRepository) private readonly repo: PlacementRepository,
    @Inject(SfuRegistry) private readonly registry: SfuRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private single(): SfuAddress {
    return {
      sfuUrl: this.config.SFU_PUBLIC_URL,
      ...(this.config.SFU_PUBLIC_PATH ? { sfuPath: this.config.SFU_PUBLIC_PATH } : {}),
    };
  }

  async addressFor(sessionId: string): Promise<SfuAddress> {
    if (!this.registry.enabled) return this.single();
    const current = await this.repo.find(sessionId);
    let nodes: LiveSfuNode[];
    try {
      nodes = await this.registry.liveNodes();
    } catch (err) {
      // Redis away: a placed session stays where it is (its node most likely still forwards).
      this.log.warn(`SFU registry unreadable: ${(err as Error).message}`);
      return current ? addressOf(current) : this.single();
    }
    if (nodes.length === 0) return this.single();
    if (current && nodes.some((n) => n.id === current.nodeId)) return addressOf(current);

    const node = await this.choose(sessionId, nodes);
    if (current) {
      await this.repo.move(sessionId, current.nodeId, targetOf(node));
      this.log.log(`session ${sessionId} moved from ${current.nodeId} (gone) to ${node.id}`);
    } else {
      await this.repo.insert(sessionId, targetOf(node));
    }
    // A concurrent join may have placed or moved it first: everyone follows the stored row.
    const stored = await this.repo.find(sessionId);
    return addressOf(stored!);
  }

  /**
   * Where the API sends a session's commands: its node's internal URL while that node is alive,
   * null when the node is gone (its room went with it), the configured SFU when never placed.
   */
  async commandUrlFor(sessionId: string): Promise<string | null> {
    if (!this.registry.enabled) return this.config.SFU_INTERNAL_URL;
    const current = await this.repo.find(sessionId);
    if (!current) return this.config.SFU_INTERNAL_URL;
    const nodes = await this.registry.liveNodes().catch(() => null);
    if (nodes && !nodes.some((n) => n.id === current.nodeId)) return null;
    return current.internalUrl;
  }

  private async choose(sessionId: string, nodes: LiveSfuNode[]): Promise<LiveSfuNode> {
    const open = nodes.filter((n) => !n.draining && !n.drainedByAdmin);
    if (open.length === 0)
      throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'Every media server is being drained for maintenance; retry shortly',
        undefined,
        'sfu_unavailable',
      );
    const [placed, region] = await Promise.all([
      this.repo.activeCounts(),
      this.repo.regionOf(sessionId),
    ]);
    // Placements count as soon as they are made; a heartbeat reports rooms only once opened.
    const load = (n: LiveSfuNode) => Math.max(n.rooms, placed.get(n.id) ?? 0) / n.maxRooms;
    const withRoom = open.filter((n) => load(n) < 1);
    const near = region ? withRoom.filter((n) => n.region === region) : [];
    const pool = near.length ? near : withRoom.length ? withRoom : open;
    return pool.reduce((best, n) =>
      load(n) < load(best) || (load(n) === load(best) && n.cpu < best.cpu) ? n : best,
    );
  }
}
