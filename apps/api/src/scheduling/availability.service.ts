import { Inject, Injectable } from '@nestjs/common';
import type {
  AvailabilityBlock,
  AvailabilityDescription,
  AvailabilityException,
  AvailabilityQuery,
  List,
  SavedAvailabilityException,
  Suggestions,
  SuggestionsQuery,
  WeeklyInterval,
} from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import type { Actor, AuthUser } from '../auth/current-user';
import { forbidden, invalidInput, notFound } from '../common/errors';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { UsersRepository } from '../users/users.repository';
import { AvailabilityRepository, Party } from './availability.repository';
import { partyIssues, partySummary } from './party-issues';
import { SchedulingService } from './scheduling.service';

/**
 * The rules behind the scheduling endpoints: whose availability one may read and change (one's
 * own as a specialist; a site's bridge room as that site's coordinator), and which people and
 * sites a search may name.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    @Inject(SchedulingService) private readonly scheduling: SchedulingService,
    @Inject(AvailabilityRepository) private readonly repo: AvailabilityRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
  ) {}

  /** Free slots for these people and sites; the urgency comes from the request when not given. */
  async suggestions(actor: Actor, q: SuggestionsQuery): Promise<Suggestions> {
    if (!q.userIds.length && !q.facilityIds.length)
      throw invalidInput(
        { path: 'userIds', message: 'Required' },
        'Name at least one user or site',
      );
    await this.assertKnown(q.userIds, q.facilityIds);
    let urgency = q.urgency;
    if (!urgency && q.consultationId) {
      await this.access.consultation(actor, q.consultationId); // 404 outside the caller's scope
      urgency = await this.repo.urgencyOf(q.consultationId);
    }
    return {
      items: await this.scheduling.suggestions({ ...q, urgency }),
      urgency: urgency ?? null,
    };
  }

  async availability(q: AvailabilityQuery): Promise<List<AvailabilityBlock>> {
    await this.assertKnown(q.userIds, q.facilityIds);
    return { items: await this.scheduling.availability(q) };
  }

  async describe(party: Party): Promise<AvailabilityDescription> {
    if (party.kind === 'site' && !(await this.facilities.findById(party.id)))
      throw notFound('Facility');
    return {
      timeZone: 'Asia/Ho_Chi_Minh',
      intervals: await this.scheduling.weekly(party),
      exceptions: await this.repo.listExceptions(party),
    };
  }

  async replaceWeekly(
    user: AuthUser,
    party: Party,
    intervals: WeeklyInterval[],
  ): Promise<AvailabilityDescription> {
    this.assertMayChange(user, party);
    await this.scheduling.replaceWeekly(party, intervals);
    return this.describe(party);
  }

  async addException(
    user: AuthUser,
    party: Party,
    body: AvailabilityException,
  ): Promise<SavedAvailabilityException> {
    this.assertMayChange(user, party);
    const id = await this.repo.addException(
      party,
      body.kind,
      body.startsAt,
      body.endsAt,
      body.note ?? null,
    );
    return { id, ...body };
  }

  async deleteException(user: AuthUser, party: Party, id: string): Promise<void> {
    this.assertMayChange(user, party);
    if (!(await this.repo.deleteException(party, id))) throw notFound('Availability exception');
  }

  /** One's own calendar, or the bridge room of one's own site. */
  private assertMayChange(user: AuthUser, party: Party): void {
    if (party.kind === 'user' && party.id !== user.id)
      throw forbidden('Only the specialist changes their own availability');
    if (party.kind === 'site' && user.facilityId !== party.id)
      throw forbidden("Only a coordinator of this site may change its bridge room's availability");
  }

  private async assertKnown(userIds: string[], facilityIds: string[]): Promise<void> {
    const people = await this.users.findManyByIds(userIds);
    const sites = await this.facilities.findManyByIds(facilityIds);
    const issues = partyIssues({ userField: 'userIds', userIds, people, facilityIds, sites });
    if (issues.length) throw invalidInput(issues, partySummary(issues));
  }
}
