import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import type { ConsultationView, EmergencyCall, List } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { CollabNotifier } from '../collaboration/collab-notifier';
import { everyInterval } from '../common/interval-job';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ConsultationsService } from '../consultations/consultations.service';
import { CLOCK, Clock } from '../scheduling/clock';
import { EmergencyRepository } from './emergency.repository';
import { RosterRepository } from './roster.repository';

/** A request whose ring failed right after submitting is picked up by the job after this. */
const UNOPENED_AFTER_MS = 10_000;

/**
 * Ringing the on-call roster. Submitting a live `emergency` request rings the first tier of the
 * target facility's roster for its specialty on duty now; nobody claiming within
 * EMERGENCY_CLAIM_TIMEOUT_SECONDS rings the next tier and tells the coordinators; with no tier
 * left, the coordinators alone are told once more and the call stops escalating. Every step is
 * a row in emergency_calls / emergency_rings and the job reads them back, so an API restart loses
 * no escalation. Being rung lets a specialist read the request (to decide) until someone claims.
 */
@Injectable()
export class EmergencyCallsService
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly log = new Logger('EmergencyCalls');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EmergencyRepository) private readonly repo: EmergencyRepository,
    @Inject(RosterRepository) private readonly roster: RosterRepository,
    @Inject(ConsultationsService) private readonly consultations: ConsultationsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CollabNotifier) private readonly notifier: CollabNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.consultations.whenSubmitted((c) => this.submitted(c));
    this.access.registerExtension((user, id) => this.repo.rungAndOpen(id, user.id));
  }

  onApplicationBootstrap(): void {
    // A few looks per timeout, at most every 5 s: escalation is late by at most that much.
    const every = Math.min(5000, Math.max(250, Math.floor(this.timeoutMs / 3)));
    this.timer = everyInterval(
      every,
      () => this.escalateDue(this.clock.now()),
      this.log,
      'Emergency escalation',
    );
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get timeoutMs(): number {
    return this.config.EMERGENCY_CLAIM_TIMEOUT_SECONDS * 1000;
  }

  /** `GET /emergency-calls`: the calls ringing the caller now. */
  async ringing(actor: Actor): Promise<List<EmergencyCall>> {
    return { items: await this.repo.ringing(actor.user.id) };
  }

  async submitted(c: ConsultationView): Promise<void> {
    if (c.urgency !== 'emergency' || c.mode !== 'live') return;
    const now = this.clock.now();
    await this.repo.open(c.id, c.targetFacilityId, c.specialty, now);
    await this.ringNext(c.id, c.targetFacilityId, c.specialty, 0, now, null);
  }

  /** One round of the job as of `now`: the ids escalated; null when another instance is at it. */
  async escalateDue(now: Date): Promise<string[] | null> {
    return this.repo.exclusively(async () => {
      const escalated: string[] = [];
      for (const c of await this.repo.unopened(new Date(now.getTime() - UNOPENED_AFTER_MS))) {
        await this.repo.open(c.id, c.targetFacilityId, c.specialty, now);
        await this.ringNext(c.id, c.targetFacilityId, c.specialty, 0, now, null);
      }
      for (const d of await this.repo.due(new Date(now.getTime() - this.timeoutMs))) {
        if (
          await this.ringNext(
            d.consultationId,
            d.facilityId,
            d.specialty,
            d.rungOrder,
            now,
            d.escalations,
          )
        )
          escalated.push(d.consultationId);
      }
      if (escalated.length) this.log.log(`emergency calls escalated: ${escalated.length}`);
      return escalated;
    });
  }

  /**
   * Rings the tier after `afterOrder` (an escalation when `escalatedTimes` is given);
   * the coordinators are told on every escalation, and at once when nobody is on duty at all.
   */
  private async ringNext(
    id: string,
    facilityId: string,
    specialty: string,
    afterOrder: number,
    now: Date,
    escalatedTimes: number | null,
  ): Promise<boolean> {
    const escalation = escalatedTimes !== null;
    const tier = await this.roster.nextTier(facilityId, specialty, now, afterOrder);
    const order = tier[0]?.order ?? afterOrder;
    const userIds = tier.map((t) => t.userId);
    const exhausted = userIds.length === 0;
    if (!(await this.repo.ring(id, userIds, order, now, escalatedTimes, exhausted))) return false;
    const c = await this.repo.callCase(id);
    if (!c) return false;
    const title = `${c.specialty} — ${c.requestingFacilityName}`;
    const at = now.toISOString();
    await this.audit.recordMany(
      null,
      'emergency.ring',
      userIds.map((userId) => ({
        type: 'consultation',
        id,
        patientId: c.patientId,
        details: { userId, order, escalation },
      })),
    );
    // Being rung opens the request to read until someone claims it: a grant, in the trail.
    await this.audit.recordMany(
      null,
      'access.grant',
      userIds.map((userId) => ({
        type: 'consultation',
        id,
        patientId: c.patientId,
        details: { userId, via: 'on_call_ring' },
      })),
    );
    this.notifier.notify(userIds, { kind: 'emergency.ring', consultationId: id, title, at });
    if (escalation || exhausted) {
      const coordinators = await this.roster.coordinatorsOf(facilityId);
      await this.audit.record(null, 'emergency.escalate', {
        type: 'consultation',
        id,
        patientId: c.patientId,
        details: { order, rung: userIds, coordinators, exhausted },
      });
      this.notifier.notify(coordinators, {
        kind: 'emergency.escalated',
        consultationId: id,
        title,
        at,
      });
    }
    return true;
  }
}
