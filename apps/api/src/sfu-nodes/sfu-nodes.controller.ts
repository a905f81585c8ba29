import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  DrainSfuNodeResponseSchema,
  DrainSfuNodeSchema,
  SfuNodeListSchema,
  SfuNodeParamsSchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { SfuNodesService } from './sfu-nodes.service';
import { Answers } from '../common/openapi';

class DrainSfuNodeDto extends createZodDto(DrainSfuNodeSchema) {}
class SfuNodeParamsDto extends createZodDto(SfuNodeParamsSchema) {}

@ApiTags('sfu-nodes')
@ApiBearerAuth()
@Controller('sfu-nodes')
export class SfuNodesController {
  constructor(@Inject(SfuNodesService) private readonly nodes: SfuNodesService) {}

  /** The live media nodes, their load and what is placed on them. Admins only. */
  @Roles('admin')
  @Answers(SfuNodeListSchema)
  @Get()
  list() {
    return this.nodes.list();
  }

  /** Take a node out of placement for maintenance (or back in). Admins only. */
  @Roles('admin')
  @Answers(DrainSfuNodeResponseSchema)
  @Put(':id/drain')
  drain(
    @CurrentActor() actor: Actor,
    @Param() params: SfuNodeParamsDto,
    @Body() body: DrainSfuNodeDto,
  ) {
    return this.nodes.drain(actor, params.id, body.draining);
  }
}
