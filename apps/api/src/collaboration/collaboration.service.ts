import { Inject, Injectable } from '@nestjs/common';
import type {
  Annotation,
  ChatMessage,
  List,
  PresenterEvent,
  SavedAnnotation,
  SessionEnterAck,
  SharedView,
  ViewState,
} from '@caunoi/shared';
import { AccessPolicy, SessionMembership } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { conflict, forbidden, notFound } from '../common/errors';
import { ConsentGate } from '../patients/consent-gate';
import { CollaborationRepository } from './collaboration.repository';

/**
 * The rules of a session's collaboration plane (chat, shared view, presenter, annotations) and of
 * its kept record, for the socket gateway and the REST controller alike. Who may do what is asked
 * of AccessPolicy; every read and write of this patient data is audited once per covered patient.
 */
@Injectable()
export class CollaborationService {
  constructor(
    @Inject(CollaborationRepository) private readonly repo: CollaborationRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(ConsentGate) private readonly consent: ConsentGate,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** What a participant sees on entering: the view, who presents, the chat, the annotations. */
  async enter(actor: Actor, sessionId: string): Promise<Omit<SessionEnterAck, 'presence'>> {
    const s = await this.access.participant(actor, sessionId);
    if (s.status === 'cancelled')
      throw conflict('This session was cancelled', undefined, 'session_cancelled');
    await this.auditPerPatient(actor, 'session.collab.enter', s);
    const { presenterId, view } = await this.repo.view(sessionId);
    const annotations = view?.attachmentId ? await this.repo.annotations(view.attachmentId) : [];
    return {
      sessionId,
      presenterId,
      view,
      messages: await this.repo.messages(sessionId),
      annotations,
    };
  }

  participants(sessionId: string) {
    return this.repo.participants(sessionId);
  }

  async chat(actor: Actor, sessionId: string, clientId: string, text: string) {
    const s = await this.access.participant(actor, sessionId);
    const result = await this.repo.addMessage(sessionId, actor.user.id, clientId, text);
    if (result.created)
      await this.auditPerPatient(actor, 'session.chat.write', s, { messageId: result.message.id });
    return result;
  }

  /**
   * The presenter moves the shared view; a free seat is taken by the first to share. Putting an
   * attachment on everyone's screen is a share: it needs the patient's consent and is audited
   * (page, zoom and pointer moves of the same attachment are not: they would flood the trail).
   * The hot path of a presentation: membership was checked when the socket entered the session.
   */
  async updateView(actor: Actor, sessionId: string, view: ViewState): Promise<SharedView> {
    const userId = actor.user.id;
    const current = await this.repo.view(sessionId);
    if (current.presenterId && current.presenterId !== userId)
      throw forbidden('Someone else is presenting; ask them to hand over');
    const shares = !!view.attachmentId && view.attachmentId !== current.view?.attachmentId;
    let patientId: string | null = null;
    if (shares) {
      if (!(await this.repo.attachmentInSession(view.attachmentId!, sessionId)))
        throw notFound('Attachment in this session');
      patientId = await this.repo.attachmentPatientId(view.attachmentId!);
      if (patientId) await this.consent.requireTeleconsultation(patientId, 'share their files');
    }
    const stored = await this.repo.putView(sessionId, userId, view);
    if (!stored) throw forbidden('Someone else is presenting; ask them to hand over');
    if (shares) {
      await this.audit.record(actor, 'attachment.share', {
        type: 'attachment',
        id: view.attachmentId,
        patientId,
        details: { sessionId },
      });
    }
    return stored;
  }

  /** The presenter hands over (or the organising coordinator reassigns) to another participant. */
  async setPresenter(
    actor: Actor,
    sessionId: string,
    presenterId: string | null,
  ): Promise<PresenterEvent> {
    const s = await this.access.participant(actor, sessionId);
    const current = await this.repo.view(sessionId);
    if (current.presenterId && current.presenterId !== actor.user.id && !s.organiser)
      throw forbidden('Only the presenter (or the organising coordinator) may hand over');
    if (presenterId && !(await this.access.invited(sessionId, presenterId)))
      throw notFound('The new presenter among the participants of this session');
    await this.repo.setPresenter(sessionId, presenterId);
    return { sessionId, presenterId };
  }

  async annotate(actor: Actor, a: Annotation) {
    const s = await this.access.participant(actor, a.sessionId);
    if (!(await this.repo.attachmentInSession(a.attachmentId, a.sessionId)))
      throw notFound('Attachment in this session');
    const saved = await this.repo.addAnnotation(a, actor.user.id);
    await this.auditPerPatient(actor, 'session.annotation.write', s, {
      attachmentId: a.attachmentId,
    });
    return saved;
  }

  /** The kept chat: participants and the organising coordinators. */
  async messages(actor: Actor, sessionId: string): Promise<List<ChatMessage>> {
    const s = await this.access.session(actor, sessionId);
    const items = await this.repo.messages(sessionId);
    await this.auditPerPatient(actor, 'session.messages.read', s, { count: items.length });
    return { items };
  }

  async annotations(
    actor: Actor,
    sessionId: string,
    attachmentId: string,
  ): Promise<List<SavedAnnotation>> {
    const s = await this.access.session(actor, sessionId);
    if (!(await this.repo.attachmentInSession(attachmentId, sessionId))) throw notFound('Session');
    const items = await this.repo.annotations(attachmentId);
    await this.auditPerPatient(actor, 'session.annotations.read', s, { attachmentId });
    return { items };
  }

  private async auditPerPatient(
    actor: Actor,
    action: string,
    s: SessionMembership,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.recordMany(
      actor,
      action,
      s.covered.length
        ? s.covered.map((c) => ({
            type: 'session',
            id: s.id,
            patientId: c.patientId,
            details: { ...details, consultationId: c.consultationId },
          }))
        : [{ type: 'session', id: s.id, details }],
    );
  }
}
