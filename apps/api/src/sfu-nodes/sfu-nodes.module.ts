import { Module } from '@nestjs/common';
import { PlacementRepository } from './placement.repository';
import { PlacementService } from './placement.service';
import { SfuNodesController } from './sfu-nodes.controller';
import { SfuNodesService } from './sfu-nodes.service';
import { SfuRegistry } from './sfu-registry';

/** Several SFU nodes: their registry in Redis and each session's placement in PostgreSQL. */
@Module({
  controllers: [SfuNodesController],
  providers: [SfuRegistry, PlacementRepository, PlacementService, SfuNodesService],
  exports: [PlacementService],
})
export class SfuNodesModule {}
