import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { DrainSfuNodeResponse, SfuNodeList } from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { ApiException, conflict, notFound } from '../common/errors';
import { PlacementRepository } from './placement.repository';
import { SfuRegistry } from './sfu-registry';

/** Redis away: the registry cannot be read, which is an outage (503), not a server error. */
async function fromRegistry<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch {
    throw new ApiException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'The media server registry (Redis) is unavailable; retry shortly',
      undefined,
      'sfu_unavailable',
    );
  }
}

/** What administrators see of the SFU nodes and how they take one out for maintenance. */
@Injectable()
export class SfuNodesService {
  constructor(
    @Inject(SfuRegistry) private readonly registry: SfuRegistry,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(): Promise<SfuNodeList> {
    const [nodes, placed] = await Promise.all([
      fromRegistry(this.registry.liveNodes()),
      this.placements.activeCounts(),
    ]);
    return {
      items: nodes
        .map((n) => ({
          ...n,
          draining: n.draining || n.drainedByAdmin,
          placedSessions: placed.get(n.id) ?? 0,
        }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    };
  }

  /**
   * Drained: no new rooms; the sessions already there stay until they end (a room is not moved
   * under its participants). The flag outlives the node's restarts until it is lifted.
   */
  async drain(actor: Actor, nodeId: string, draining: boolean): Promise<DrainSfuNodeResponse> {
    if (!this.registry.enabled)
      throw conflict('There is one SFU and no node registry (REDIS_URL is not set)');
    const live = await fromRegistry(this.registry.liveNodes());
    if (draining && !live.some((n) => n.id === nodeId)) throw notFound('SFU node');
    await fromRegistry(this.registry.setDrained(nodeId, draining));
    await this.audit.record(actor, draining ? 'sfu_node.drain' : 'sfu_node.undrain', {
      type: 'sfu_node',
      id: nodeId,
    });
    return { id: nodeId, draining };
  }
}
