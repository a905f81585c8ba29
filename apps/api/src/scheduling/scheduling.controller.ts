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
  AvailabilityExceptionSchema,
  AvailabilityQuerySchema,
  SuggestionsQuerySchema,
  WeeklyAvailabilitySchema,
  type AvailabilityBlock,
  type AvailabilityDescription,
  type List,
  type SavedAvailabilityException,
  type Suggestions,
} from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { forbidden, notFound, invalidInput } from '../common/errors';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { UsersRepository } from '../users/users.repository';
import { AvailabilityRepository, Party } from './availability.repository';
import { SchedulingService } from './scheduling.service';

class SuggestionsQueryDto extends createZodDto(SuggestionsQuerySchema) {}
class AvailabilityQueryDto extends createZodDto(AvailabilityQuerySchema) {}
class WeeklyAvailabilityDto extends createZodDto(WeeklyAvailabilitySchema) {}
class AvailabilityExceptionDto extends createZodDto(AvailabilityExceptionSchema) {}

/**
 * Availability of specialists (their own, under /me) and of sites' bridge rooms (their
 * coordinators), and slot suggestions for the coordinator who books.
 */
@ApiTags('scheduling')
@ApiBearerAuth()
@Controller()
export class SchedulingController {
  constructor(
    @Inject(SchedulingService) private readonly scheduling: SchedulingService,
    @Inject(AvailabilityRepository) private readonly repo: AvailabilityRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  @Roles('coordinator', 'specialist')
  @Get('scheduling/suggestions')
  async suggestions(
    @CurrentUser() user: AuthUser,
    @Query() q: SuggestionsQueryDto,
  ): Promise<Suggestions> {
    if (!q.userIds.length && !q.facilityIds.length)
      throw invalidInput(
        { path: 'userIds', message: 'Required' },
        'Name at least one user or site',
      );
    await this.assertKnown(q.userIds, q.facilityIds);
    let urgency = q.urgency;
    if (!urgency && q.consultationId) {
      await this.access.consultation(user, q.consultationId); // 404 outside the caller's scope
      urgency = await this.repo.urgencyOf(q.consultationId);
    }
    return {
      items: await this.scheduling.suggestions({ ...q, urgency }),
      urgency: urgency ?? null,
    };
  }

  @Roles('coordinator', 'specialist')
  @Get('scheduling/availability')
  async availability(@Query() q: AvailabilityQueryDto): Promise<List<AvailabilityBlock>> {
    await this.assertKnown(q.userIds, q.facilityIds);
    return { items: await this.scheduling.availability(q) };
  }

  @Get('me/availability')
  async mine(@CurrentUser() user: AuthUser): Promise<AvailabilityDescription> {
    return this.describe({ kind: 'user', id: user.id });
  }

  @Roles('specialist')
  @Put('me/availability')
  async replaceMine(
    @CurrentUser() user: AuthUser,
    @Body() body: WeeklyAvailabilityDto,
  ): Promise<AvailabilityDescription> {
    await this.scheduling.replaceWeekly({ kind: 'user', id: user.id }, body.intervals);
    return this.describe({ kind: 'user', id: user.id });
  }

  @Roles('specialist')
  @Post('me/availability/exceptions')
  async addMine(
    @CurrentUser() user: AuthUser,
    @Body() body: AvailabilityExceptionDto,
  ): Promise<SavedAvailabilityException> {
    const id = await this.repo.addException(
      { kind: 'user', id: user.id },
      body.kind,
      body.startsAt,
      body.endsAt,
      body.note ?? null,
    );
    return { id, ...body };
  }

  @Delete('me/availability/exceptions/:id')
  @HttpCode(204)
  async deleteMine(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    if (!(await this.repo.deleteException({ kind: 'user', id: user.id }, id)))
      throw notFound('Availability exception');
  }

  /** A site's bridge room: readable by anyone who schedules, changed by that site's coordinators. */
  @Get('scheduling/sites/:facilityId/availability')
  async site(
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
  ): Promise<AvailabilityDescription> {
    if (!(await this.facilities.findById(facilityId))) throw notFound('Facility');
    return this.describe({ kind: 'site', id: facilityId });
  }

  @Roles('coordinator')
  @Put('scheduling/sites/:facilityId/availability')
  async replaceSite(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Body() body: WeeklyAvailabilityDto,
  ): Promise<AvailabilityDescription> {
    this.assertSiteCoordinator(user, facilityId);
    await this.scheduling.replaceWeekly({ kind: 'site', id: facilityId }, body.intervals);
    return this.describe({ kind: 'site', id: facilityId });
  }

  @Roles('coordinator')
  @Post('scheduling/sites/:facilityId/availability/exceptions')
  async addSite(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', ParseUUIDPipe) facilityId: string,
    @Body() body: AvailabilityExceptionDto,
  ): Promise<SavedAvailabilityException> {
    this.assertSiteCoordinator(user, facilityId);
    const id = await this.repo.addException(
      { kind: 'site', id: facilityId },
      body.kind,
      body.startsAt,
      body.endsAt,
      body.note ?? null,
    );
    return { id, ...body };
  }

  private async describe(party: Party): Promise<AvailabilityDescription> {
    return {
      timeZone: 'Asia/Ho_Chi_Minh',
      intervals: await this.scheduling.weekly(party),
      exceptions: await this.repo.listExceptions(party),
    };
  }

  private assertSiteCoordinator(user: AuthUser, facilityId: string): void {
    if (user.facilityId !== facilityId)
      throw forbidden("Only a coordinator of this site may change its bridge room's availability");
  }

  private async assertKnown(userIds: string[], facilityIds: string[]): Promise<void> {
    const users = await this.users.findManyByIds(userIds);
    const missingUsers = userIds.filter((id) => !users.some((u) => u.id === id && u.active));
    const sites = await this.facilities.findManyByIds(facilityIds);
    const missingSites = facilityIds.filter((id) => !sites.some((f) => f.id === id));
    if (missingUsers.length || missingSites.length) {
      throw invalidInput(
        [
          ...(missingUsers.length
            ? [
                {
                  path: 'userIds',
                  message: 'Some users do not exist (or are disabled)',
                  ids: missingUsers,
                },
              ]
            : []),
          ...(missingSites.length
            ? [{ path: 'facilityIds', message: 'Some sites do not exist', ids: missingSites }]
            : []),
        ],
        `${[missingUsers.length ? 'userIds' : '', missingSites.length ? 'facilityIds' : ''].filter(Boolean).join(', ')}: some users or sites do not exist (or are disabled)`,
      );
    }
  }
}
