import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  AvailabilityBlockSchema,
  AvailabilityDescriptionSchema,
  AvailabilityExceptionSchema,
  AvailabilityQuerySchema,
  SavedAvailabilityExceptionSchema,
  SuggestionsQuerySchema,
  SuggestionsSchema,
  WeeklyAvailabilitySchema,
} from '@caunoi/shared';
import { Actor, AuthUser, CurrentActor, CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { AvailabilityService } from './availability.service';
import { Answers, AnswersList, AnswersNothing } from '../common/openapi';

class SuggestionsQueryDto extends createZodDto(SuggestionsQuerySchema) {}
class AvailabilityQueryDto extends createZodDto(AvailabilityQuerySchema) {}
class WeeklyAvailabilityDto extends createZodDto(WeeklyAvailabilitySchema) {}
class AvailabilityExceptionDto extends createZodDto(AvailabilityExceptionSchema) {}

const me = (user: AuthUser) => ({ kind: 'user' as const, id: user.id });
const site = (facilityId: string) => ({ kind: 'site' as const, id: facilityId });

/**
 * Availability of specialists (their own, under /me) and of sites' bridge rooms (their
 * coordinators), and slot suggestions for the coordinator who books.
 */
@ApiTags('scheduling')
@ApiBearerAuth()
@Controller()
export class SchedulingController {
  constructor(@Inject(AvailabilityService) private readonly availability: AvailabilityService) {}

  @Roles('coordinator', 'specialist')
  @Answers(SuggestionsSchema)
  @Get('scheduling/suggestions')
  suggestions(@CurrentActor() actor: Actor, @Query() q: SuggestionsQueryDto) {
    return this.availability.suggestions(actor, q);
  }

  @Roles('coordinator', 'specialist')
  @AnswersList(AvailabilityBlockSchema)
  @Get('scheduling/availability')
  search(@Query() q: AvailabilityQueryDto) {
    return this.availability.availability(q);
  }

  @Answers(AvailabilityDescriptionSchema)
  @Get('me/availability')
  mine(@CurrentUser() user: AuthUser) {
    return this.availability.describe(me(user));
  }

  @Roles('specialist')
  @Answers(AvailabilityDescriptionSchema)
  @Put('me/availability')
  replaceMine(@CurrentUser() user: AuthUser, @Body() body: WeeklyAvailabilityDto) {
    return this.availability.replaceWeekly(user, me(user), body.intervals);
  }

  @Roles('specialist')
  @Answers(SavedAvailabilityExceptionSchema)
  @Post('me/availability/exceptions')
  addMine(@CurrentUser() user: AuthUser, @Body() body: AvailabilityExceptionDto) {
    return this.availability.addException(user, me(user), body);
  }

  @AnswersNothing('The exception is removed')
  @Delete('me/availability/exceptions/:id')
  @HttpCode(204)
  deleteMine(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.availability.deleteException(user, me(user), id);
  }

  /** A site's bridge room: readable by anyone who schedules, changed by that site's coordinators. */
  @Answers(AvailabilityDescriptionSchema)
  @Get('scheduling/sites/:facilityId/availability')
  site(@Param('facilityId', ParseUUIDPipe) facilityId: string) {
    return this.availability.describe(site(facilityId));
  }

  @Roles('coordinator')
  @Answers(AvailabilityDescriptionSchema)
  @Put('scheduling/sites/:facilityId/availability')
  replaceSite(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Body() body: WeeklyAvailabilityDto,
  ) {
    return this.availability.replaceWeekly(user, site(facilityId), body.intervals);
  }

  @Roles('coordinator')
  @Answers(SavedAvailabilityExceptionSchema)
  @Post('scheduling/sites/:facilityId/availability/exceptions')
  addSite(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Body() body: AvailabilityExceptionDto,
  ) {
    return this.availability.addException(user, site(facilityId), body);
  }
}
