import { Inject, Injectable } from '@nestjs/common';
import { turnIceServer, type JoinResponse, type Role } from '@caunoi/shared';
import { Actor, hasRole } from '../auth/current-user';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AccessPolicy } from '../access/access-policy.service';
import { conflict } from '../common/errors';
import { ConsentGate } from '../patients/consent-gate';
import { CLOCK, Clock } from '../scheduling/clock';
import { PlacementService } from '../sfu-nodes/placement.service';
import { JoinTokenSigner } from './join-token.signer';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const MINUTE = 60_000;
/** The room opens 15 minutes before the start and closes 30 minutes after the end. */
export const ROOM_OPENS_BEFORE_MS = 15 * MINUTE;
export const ROOM_CLOSES_AFTER_MS = 30 * MINUTE;

/** Which of a user's roles the SFU is told about (it only needs one label). */
const ROLE_PREFERENCE: Role[] = ['specialist', 'requester', 'coordinator', 'admin'];

/**
 * Admission to the media room: only invited participants, only while the room is open, with a
 * token that expires within minutes (the SFU checks it with the public key).
 */
@Injectable()
export class AdmissionService {
  constructor(
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(SessionsRepository) private readonly repo: SessionsRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(ConsentGate) private readonly consent: ConsentGate,
    @Inject(JoinTokenSigner) private readonly signer: JoinTokenSigner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PlacementService) private readonly placement: PlacementService,
  ) {}

  async join(actor: Actor, sessionId: string): Promise<JoinResponse> {
    const user = actor.user;
    const s = await this.access.session(actor, sessionId);
    await this.access.require(actor, s.participant, 'You are not invited to this session', {
      type: 'session',
      id: sessionId,
    });
    if (s.status === 'cancelled')
      throw conflict('This session was cancelled', undefined, 'session_cancelled');
    if (s.status === 'ended') throw conflict('This session has ended', undefined, 'session_ended');
    await this.consent.requireForAll(
      s.covered.map((c) => c.patientId),
      'join this session',
    );
    const now = this.clock.now().getTime();
    const moderator = s.organiser;
    // The room's policy travels in the token: the SFU learns the kind and who presents.
    const session = await this.repo.findById(sessionId);
    const opensAt = Math.min(
      s.startsAt.getTime() - ROOM_OPENS_BEFORE_MS,
      s.openedAt?.getTime() ?? Infinity,
    );
    const closesAt = s.endsAt.getTime() + ROOM_CLOSES_AFTER_MS;
    if (now > closesAt)
      throw conflict(
        'This session has ended; the room closed 30 minutes after its end',
        { closedAt: new Date(closesAt).toISOString() },
        'room_closed',
      );
    // A coordinator of the organising site may open the room early (to test the link with a site).
    if (now < opensAt && !moderator) {
      throw conflict(
        `The room opens at ${new Date(opensAt).toISOString()}, 15 minutes before the start`,
        { opensAt: new Date(opensAt).toISOString() },
        'room_not_open',
      );
    }
    if (now < opensAt && moderator) await this.repo.markOpened(sessionId);

    const { token, expiresAt } = this.signer.sign(
      {
        sub: user.id,
        sid: sessionId,
        name: user.fullName,
        role: moderator
          ? 'coordinator'
          : (ROLE_PREFERENCE.find((r) => hasRole(user, r)) ?? user.roles[0]),
        facility: { id: user.facilityId, name: await this.repo.facilityName(user.facilityId) },
        moderator,
        ...(session?.kind === 'training'
          ? { kind: 'training' as const, presenter: session.presenterId === user.id }
          : {}),
      },
      now,
    );
    // The node holding the session's room (placed by the first join, moved if that node died).
    const sfu = await this.placement.addressFor(sessionId);
    await this.sessions.auditPerPatient(actor, 'session.admit', sessionId, { moderator });
    return {
      token,
      ...sfu,
      iceServers: [
        ...this.config.ICE_SERVERS,
        // TURN credentials valid until the room closes, so a relay lasts the whole session.
        ...(this.config.TURN
          ? [await turnIceServer(this.config.TURN, user.id, closesAt / 1000)]
          : []),
      ],
      expiresAt: expiresAt.toISOString(),
    };
  }
}
