import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { AuditQuery } from '@caunoi/shared';
import type { Actor } from '../auth/current-user';
import { insideAmbientTransaction } from '../database/ambient-transaction';
import { AuditBatcher } from './audit-batcher';
import { AuditEventInput, AuditRepository } from './audit.repository';

/** Who did it: an actor, or only an address (a failed sign-in has no user yet). */
export type AuditActor = Actor | { user: null; address: string | null };

export interface AuditTarget {
  type: string;
  id?: string | null;
  patientId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The one way to write the audit trail. Actions are verbs in `domain.verb` form
 * (`patient.read`, `attachment.download`, `minutes.sign`…). Details carry ids and counts,
 * never clinical text.
 *
 * Rows are group-committed (see AuditBatcher): a call returns once its row is committed, together
 * with the rows of concurrent requests. Inside an ambient transaction the row joins that
 * transaction instead, so it commits (or rolls back) with the request's own writes.
 */
@Injectable()
export class AuditService implements BeforeApplicationShutdown {
  private readonly batcher: AuditBatcher;

  constructor(@Inject(AuditRepository) private readonly repo: AuditRepository) {
    this.batcher = new AuditBatcher({ write: (rows) => this.repo.appendMany(rows) });
  }

  /** Before the database closes: rows still queued are written, their requests answered. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.batcher.drain();
  }

  private async write(rows: AuditEventInput[]): Promise<void> {
    if (rows.length === 0) return;
    if (insideAmbientTransaction()) return this.repo.appendMany(rows);
    return this.batcher.add(rows);
  }

  async record(actor: AuditActor | null, action: string, target: AuditTarget): Promise<void> {
    await this.write([
      {
        actorId: actor?.user?.id ?? null,
        address: actor?.address ?? null,
        action,
        targetType: target.type,
        targetId: target.id ?? null,
        patientId: target.patientId ?? null,
        details: target.details ?? null,
      },
    ]);
  }

  async recordMany(
    actor: AuditActor | null,
    action: string,
    targets: AuditTarget[],
  ): Promise<void> {
    await this.write(
      targets.map((t) => ({
        actorId: actor?.user?.id ?? null,
        address: actor?.address ?? null,
        action,
        targetType: t.type,
        targetId: t.id ?? null,
        patientId: t.patientId ?? null,
        details: t.details ?? null,
      })),
    );
  }

  /** Reading the audit trail is itself recorded: who looked at whose access history, and when. */
  async search(actor: Actor, q: AuditQuery) {
    const page = await this.repo.search(q);
    await this.record(actor, 'audit.read', {
      type: 'audit',
      patientId: q.patientId ?? null,
      details: {
        ...(q.actorId ? { actorId: q.actorId } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        returned: page.items.length,
      },
    });
    return page;
  }
}
