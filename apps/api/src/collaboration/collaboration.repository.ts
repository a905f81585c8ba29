import { Inject, Injectable } from '@nestjs/common';
import type {
  Annotation,
  ChatMessage,
  SavedAnnotation,
  SharedView,
  ViewState,
} from '@caunoi/shared';
import { DataSource } from 'typeorm';

const toMessage = (r: Record<string, unknown>): ChatMessage => ({
  id: r.id as string,
  clientId: r.client_id as string,
  sessionId: r.session_id as string,
  authorId: r.author_id as string,
  authorName: r.author_name as string,
  text: r.text as string,
  createdAt: (r.created_at as Date).toISOString(),
});

const toAnnotation = (r: Record<string, unknown>): SavedAnnotation => ({
  id: r.id as string,
  clientId: r.client_id as string,
  attachmentId: r.attachment_id as string,
  sessionId: (r.session_id as string) ?? null,
  authorId: r.author_id as string,
  page: r.page as number,
  shape: r.shape as Annotation['shape'],
  createdAt: (r.created_at as Date).toISOString(),
});

/** The collaboration plane's SQL: chat, the current view and presenter, annotations. */
@Injectable()
export class CollaborationRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async participants(sessionId: string) {
    const rows = await this.db.query(
      `SELECT u.id, u.full_name, u.facility_id, COALESCE(f.name, '') AS facility_name
         FROM session_participants sp JOIN users u ON u.id = sp.user_id LEFT JOIN facilities f ON f.id = u.facility_id
        WHERE sp.session_id = $1 ORDER BY u.full_name`,
      [sessionId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      userId: r.id as string,
      fullName: r.full_name as string,
      facilityId: (r.facility_id as string) ?? null,
      facilityName: r.facility_name as string,
    }));
  }

  /** Stored once per (session, author, clientId): a resend after a reconnect returns the first copy. */
  async addMessage(
    sessionId: string,
    authorId: string,
    clientId: string,
    text: string,
  ): Promise<{ message: ChatMessage; created: boolean }> {
    const inserted = await this.db.query(
      `INSERT INTO chat_messages (session_id, author_id, client_id, text) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT chat_messages_once DO NOTHING RETURNING id`,
      [sessionId, authorId, clientId, text],
    );
    const [row] = await this.db.query(
      `SELECT m.*, u.full_name AS author_name FROM chat_messages m JOIN users u ON u.id = m.author_id
        WHERE m.session_id = $1 AND m.author_id = $2 AND m.client_id = $3`,
      [sessionId, authorId, clientId],
    );
    return { message: toMessage(row), created: inserted.length > 0 };
  }

  async messages(sessionId: string, limit = 500): Promise<ChatMessage[]> {
    const rows = await this.db.query(
      `SELECT * FROM (SELECT m.*, u.full_name AS author_name FROM chat_messages m JOIN users u ON u.id = m.author_id
         WHERE m.session_id = $1 ORDER BY m.created_at DESC, m.id LIMIT $2) last ORDER BY created_at, id`,
      [sessionId, limit],
    );
    return rows.map(toMessage);
  }

  async view(sessionId: string): Promise<SharedView> {
    const rows = await this.db.query(
      `SELECT presenter_id, view FROM session_views WHERE session_id = $1`,
      [sessionId],
    );
    return { presenterId: rows[0]?.presenter_id ?? null, view: rows[0]?.view ?? null };
  }

  /**
   * Stores the view if the user is the presenter, or takes the free presenter seat with it — in
   * one statement, so two people grabbing the seat at once cannot both get it. Null: someone else presents.
   */
  async putView(sessionId: string, userId: string, view: ViewState): Promise<SharedView | null> {
    const rows = await this.db.query(
      `INSERT INTO session_views (session_id, presenter_id, view, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (session_id) DO UPDATE SET view = EXCLUDED.view, presenter_id = $2, updated_at = now()
        WHERE session_views.presenter_id IS NULL OR session_views.presenter_id = $2
       RETURNING presenter_id, view`,
      [sessionId, userId, JSON.stringify(view)],
    );
    return rows[0] ? { presenterId: rows[0].presenter_id, view: rows[0].view } : null;
  }

  async setPresenter(sessionId: string, presenterId: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO session_views (session_id, presenter_id) VALUES ($1, $2)
       ON CONFLICT (session_id) DO UPDATE SET presenter_id = $2, updated_at = now()`,
      [sessionId, presenterId],
    );
  }

  /** An attachment may be shown or annotated only in a session covering its consultation. */
  async attachmentPatientId(attachmentId: string): Promise<string | null> {
    const rows = await this.db.query(
      `SELECT c.patient_id FROM attachments a JOIN consultations c ON c.id = a.consultation_id WHERE a.id = $1`,
      [attachmentId],
    );
    return (rows[0]?.patient_id as string | undefined) ?? null;
  }

  async attachmentInSession(attachmentId: string, sessionId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM attachments a JOIN session_consultations sc ON sc.consultation_id = a.consultation_id
        WHERE a.id = $1 AND sc.session_id = $2`,
      [attachmentId, sessionId],
    );
    return rows.length > 0;
  }

  async addAnnotation(a: Annotation, authorId: string) {
    await this.db.query(
      `INSERT INTO annotations (attachment_id, session_id, author_id, client_id, page, shape) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT annotations_once DO NOTHING`,
      [a.attachmentId, a.sessionId, authorId, a.clientId, a.page, JSON.stringify(a.shape)],
    );
    const [row] = await this.db.query(
      `SELECT * FROM annotations WHERE attachment_id = $1 AND author_id = $2 AND client_id = $3`,
      [a.attachmentId, authorId, a.clientId],
    );
    return toAnnotation(row);
  }

  async annotations(attachmentId: string) {
    const rows = await this.db.query(
      `SELECT * FROM annotations WHERE attachment_id = $1 ORDER BY created_at, id`,
      [attachmentId],
    );
    return rows.map(toAnnotation);
  }
}
