import { Inject, Injectable } from '@nestjs/common';
import type { CreateOnCallShift, List, OnCallQuery, OnCallShift } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import { Actor, hasRole } from '../auth/current-user';
import { conflict, invalidInput, notFound } from '../common/errors';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { RosterRepository } from './roster.repository';

const EXCLUSION_VIOLATION = '23P01';

/**
 * The on-call roster of a facility: who covers which specialty when, and in which escalation
 * order. The facility's own staff read it; its coordinators (and admins) edit it. Anyone else is
 * told the roster does not exist (404), and the refusal is audited.
 */
@Injectable()
export class RosterService {
  constructor(
    @Inject(RosterRepository) private readonly repo: RosterRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, facilityId: string, q: OnCallQuery): Promise<List<OnCallShift>> {
    await this.visible(actor, facilityId);
    return { items: await this.repo.list(facilityId, q.from, q.to, q.specialty) };
  }

  async create(actor: Actor, facilityId: string, input: CreateOnCallShift): Promise<OnCallShift> {
    await this.editable(actor, facilityId);
    const order = input.order ?? 1;
    if (!(await this.repo.isActiveSpecialistOf(facilityId, input.userId)))
      throw invalidInput({ path: 'userId', message: 'Not an active specialist of this facility' });
    const clash = await this.repo.overlapping(
      input.userId,
      input.specialty,
      input.startsAt,
      input.endsAt,
    );
    if (clash.length) throw this.overlap(clash);
    let id: string;
    try {
      id = await this.repo.insert({
        facilityId,
        userId: input.userId,
        specialty: input.specialty,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        order,
        createdBy: actor.user.id,
      });
    } catch (err) {
      // A concurrent insert of the same person slipped between the check and the insert.
      const e = err as { code?: string; driverError?: { code?: string } };
      if ((e.driverError?.code ?? e.code) !== EXCLUSION_VIOLATION) throw err;
      throw this.overlap(
        await this.repo.overlapping(input.userId, input.specialty, input.startsAt, input.endsAt),
      );
    }
    await this.audit.record(actor, 'on_call.create', {
      type: 'on_call_shift',
      id,
      details: { facilityId, userId: input.userId, specialty: input.specialty, order },
    });
    return (await this.repo.findById(id))!;
  }

  async remove(actor: Actor, facilityId: string, shiftId: string): Promise<void> {
    await this.editable(actor, facilityId);
    const shift = await this.repo.findById(shiftId);
    if (!shift || shift.facilityId !== facilityId) throw notFound('On-call shift');
    await this.repo.delete(shiftId);
    await this.audit.record(actor, 'on_call.delete', {
      type: 'on_call_shift',
      id: shiftId,
      details: { facilityId, userId: shift.specialist.id, specialty: shift.specialty },
    });
  }

  /** Staff of the facility and admins see its roster; 404 for anyone else. */
  private async visible(actor: Actor, facilityId: string): Promise<void> {
    const exists = !!(await this.facilities.findById(facilityId));
    if (exists && (hasRole(actor.user, 'admin') || actor.user.facilityId === facilityId)) return;
    await this.audit.record(actor, 'access.refused', {
      type: 'on_call_roster',
      id: facilityId,
      details: { reason: 'Not staff of this facility' },
    });
    throw notFound('Facility');
  }

  /** Its coordinators and admins edit it; its other staff get 403. */
  private async editable(actor: Actor, facilityId: string): Promise<void> {
    await this.visible(actor, facilityId);
    await this.access.require(
      actor,
      hasRole(actor.user, 'admin') || hasRole(actor.user, 'coordinator'),
      'Only a coordinator of the facility edits its on-call roster',
      { type: 'on_call_roster', id: facilityId },
    );
  }

  private overlap(clash: OnCallShift[]) {
    return conflict(
      `${clash[0]?.specialist.fullName ?? 'This specialist'} is already on call for this specialty at that time`,
      clash,
    );
  }
}
