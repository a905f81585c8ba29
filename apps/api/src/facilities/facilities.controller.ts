import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { createZodDto } from 'nestjs-zod';
import {
  CreateFacilitySchema,
  CreateSupportLinkSchema,
  FacilityDetailSchema,
  FacilityListQuerySchema,
  FacilitySchema,
  SupportLinkSchema,
  UpdateFacilitySchema,
} from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { FacilitiesService } from './facilities.service';
import { Answers, AnswersList, AnswersNothing } from '../common/openapi';

class CreateFacilityDto extends createZodDto(CreateFacilitySchema) {}
class UpdateFacilityDto extends createZodDto(UpdateFacilitySchema) {}
class FacilityListQueryDto extends createZodDto(FacilityListQuerySchema) {}
class CreateSupportLinkDto extends createZodDto(CreateSupportLinkSchema) {}

@ApiTags('facilities')
@ApiBearerAuth()
@Controller()
export class FacilitiesController {
  constructor(@Inject(FacilitiesService) private readonly facilities: FacilitiesService) {}

  /** The network is not secret to its members: any signed-in user may browse it. */
  @AnswersList(FacilitySchema)
  @Get('facilities')
  list(@Query() q: FacilityListQueryDto) {
    return this.facilities.list(q);
  }

  @Answers(FacilityDetailSchema)
  @Get('facilities/:id')
  get(@Param('id', ParseIdPipe) id: string) {
    return this.facilities.get(id);
  }

  @Roles('admin')
  @Answers(FacilitySchema)
  @Post('facilities')
  create(@CurrentActor() actor: Actor, @Body() body: CreateFacilityDto) {
    return this.facilities.create(actor, body);
  }

  @Roles('admin')
  @Answers(FacilitySchema)
  @Patch('facilities/:id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateFacilityDto,
  ) {
    return this.facilities.update(actor, id, body);
  }

  @Roles('admin')
  @Answers(SupportLinkSchema)
  @Post('support-links')
  link(@CurrentActor() actor: Actor, @Body() body: CreateSupportLinkDto) {
    return this.facilities.link(actor, body);
  }

  @Roles('admin')
  @AnswersNothing('The link is removed')
  @Delete('support-links/:id')
  @HttpCode(204)
  async unlink(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.facilities.unlink(actor, id);
  }
}
