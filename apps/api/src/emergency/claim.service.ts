import { Inject, Injectable } from '@nestjs/common';
import type { ClaimResult, PersonRef } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { CollabNotifier } from '../collaboration/collab-notifier';
import { conflict } from '../common/errors';
import { ConsultationsService } from '../consultations/consultations.service';
import { ConsentGate } from '../patients/consent-gate';
import { CLOCK, Clock } from '../scheduling/clock';
import {
  isDoubleBooking,
  SessionBookingsRepository,
} from '../sessions/session-bookings.repository';
import { SessionsService } from '../sessions/sessions.service';
import { CallCase, EmergencyRepository } from './emergency.repository';

/** An emergency session is booked for this long from the claim; it may run over as any session. */
const EMERGENCY_SESSION_MS = 60 * 60_000;

class ClaimLost extends Error {}

/**
 * `POST /consultations/:id/claim`: the first on-call specialist rung for an emergency request
 * takes it. One transaction: the conditional UPDATE of the call (of concurrent claimers exactly
 * one changes the row), submitted → accepted → scheduled through the lifecycle, and a session
 * from now with the claimer, the requester and the requesting site. It is booked outside anyone's
 * availability if need be; only a real double booking refuses it (and undoes the claim, so
 * another on-call may take it).
 */
@Injectable()
export class ClaimService {
  constructor(
    @Inject(EmergencyRepository) private readonly repo: EmergencyRepository,
    @Inject(ConsultationsService) private readonly consultations: ConsultationsService,
    @Inject(SessionBookingsRepository) private readonly bookings: SessionBookingsRepository,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(ConsentGate) private readonly consent: ConsentGate,
    @Inject(CollabNotifier) private readonly notifier: CollabNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async claim(actor: Actor, id: string): Promise<ClaimResult> {
    const me = actor.user;
    const c = await this.repo.callCase(id);
    if (!c || !(await this.repo.wasRung(id, me.id))) {
      // Out of scope: 404 (audited). In scope but not rung (a coordinator, the requester): 403.
      await this.access.consultation(actor, id);
      await this.access.require(
        actor,
        false,
        'Only the on-call specialists rung for this emergency request may claim it',
        { type: 'consultation', id, patientId: c?.patientId },
      );
    }
    const call = c!;
    if (call.claimedBy) {
      if (call.claimedBy.id === me.id && call.sessionId && call.claimedAt)
        return result(call, call.claimedBy, call.sessionId, call.claimedAt);
      throw await this.alreadyClaimed(actor, call, call.claimedBy);
    }
    if (call.status !== 'submitted')
      throw conflict(`This request is ${call.status}; it can no longer be claimed`, {
        status: call.status,
      });
    await this.consent.requireTeleconsultation(call.patientId, 'claim an emergency consult');

    const now = this.clock.now();
    const startsAt = now.toISOString();
    const endsAt = new Date(now.getTime() + EMERGENCY_SESSION_MS).toISOString();
    const participantIds = [...new Set([me.id, call.requesterId])];
    const facilityIds = [call.requestingFacilityId];
    let sessionId: string;
    try {
      sessionId = await this.bookings.transaction(async (m) => {
        if (!(await this.repo.markClaimed(m, id, me.id, now))) throw new ClaimLost();
        await this.consultations.changeStatus(me.id, id, 'submitted', 'accepted', null, m);
        const sid = await this.bookings.insert(m, {
          title: `Cấp cứu — ${call.specialty}`,
          startsAt,
          endsAt,
          organiserFacilityId: call.targetFacilityId,
          createdBy: me.id,
          consultationIds: [id],
          participantIds,
          facilityIds,
        });
        await this.consultations.changeStatus(me.id, id, 'accepted', 'scheduled', null, m);
        await this.repo.setSession(m, id, sid);
        return sid;
      });
    } catch (err) {
      if (err instanceof ClaimLost) {
        const winner = (await this.repo.callCase(id))?.claimedBy;
        throw await this.alreadyClaimed(actor, call, winner ?? null);
      }
      if (isDoubleBooking(err))
        throw await this.sessions.doubleBooked(participantIds, facilityIds, startsAt, endsAt);
      throw err;
    }

    const claimer: PersonRef = { id: me.id, fullName: me.fullName };
    await this.audit.record(actor, 'emergency.claim', {
      type: 'consultation',
      id,
      patientId: call.patientId,
      details: { sessionId },
    });
    await this.audit.record(actor, 'session.create', {
      type: 'session',
      id: sessionId,
      details: { consultationIds: [id], participants: participantIds.length, emergency: true },
    });
    await this.audit.recordMany(
      actor,
      'access.grant',
      participantIds.map((userId) => ({
        type: 'consultation',
        id,
        patientId: call.patientId,
        details: { userId, sessionId, via: 'emergency_claim' },
      })),
    );
    const at = now.toISOString();
    const title = `${call.specialty} — ${call.requestingFacilityName}`;
    // The requester's page follows sessionId into the room; the others rung close their banner.
    this.notifier.notify([call.requesterId], {
      kind: 'emergency.claimed',
      consultationId: id,
      sessionId,
      title,
      at,
      claimedBy: me.fullName,
    });
    const others = (await this.repo.rungUsers(id)).filter((u) => u !== me.id);
    this.notifier.notify(others, {
      kind: 'emergency.claimed',
      consultationId: id,
      title,
      at,
      claimedBy: me.fullName,
    });
    return result(call, claimer, sessionId, now);
  }

  private async alreadyClaimed(actor: Actor, call: CallCase, by: PersonRef | null) {
    await this.audit.record(actor, 'emergency.claim_refused', {
      type: 'consultation',
      id: call.consultationId,
      patientId: call.patientId,
      details: { claimedBy: by?.id ?? null },
    });
    return conflict(
      `${by?.fullName ?? 'Another specialist'} has already claimed this emergency request`,
      { claimedBy: by },
      'already_claimed',
    );
  }
}

function result(call: CallCase, by: PersonRef, sessionId: string, at: Date): ClaimResult {
  return {
    consultationId: call.consultationId,
    sessionId,
    claimedBy: by,
    claimedAt: new Date(at).toISOString(),
  };
}
