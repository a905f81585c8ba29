import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { AuditEventSchema, AuditQuerySchema } from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { AuditService } from './audit.service';
import { AnswersList } from '../common/openapi';

class AuditQueryDto extends createZodDto(AuditQuerySchema) {}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  /** Who saw or changed what, newest first. Admins only. */
  @Roles('admin')
  @AnswersList(AuditEventSchema)
  @Get()
  search(@CurrentActor() actor: Actor, @Query() query: AuditQueryDto) {
    return this.audit.search(actor, query);
  }
}
