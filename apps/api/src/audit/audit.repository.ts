import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEvent, AuditQuery, List } from '@caunoi/shared';

export interface AuditEventInput {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  patientId?: string | null;
  address?: string | null;
  details?: Record<string, unknown> | null;
}

/** Insert and select only: the table's triggers refuse UPDATE, DELETE and TRUNCATE. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async append(e: AuditEventInput): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_events (actor_id, action, target_type, target_id, patient_id, address, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        e.actorId,
        e.action,
        e.targetType,
        e.targetId ?? null,
        e.patientId ?? null,
        e.address ?? null,
        e.details ?? null,
      ],
    );
  }

  /** One statement for many events (a list shows many patients at once). */
  async appendMany(events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.query(
      `INSERT INTO audit_events (actor_id, action, target_type, target_id, patient_id, address, details)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::jsonb[])`,
      [
        events.map((e) => e.actorId),
        events.map((e) => e.action),
        events.map((e) => e.targetType),
        events.map((e) => e.targetId ?? null),
        events.map((e) => e.patientId ?? null),
        events.map((e) => e.address ?? null),
        events.map((e) => (e.details ? JSON.stringify(e.details) : null)),
      ],
    );
  }

  async search(q: AuditQuery): Promise<Required<List<AuditEvent>>> {
    const where = `($1::uuid IS NULL OR e.patient_id = $1) AND ($2::uuid IS NULL OR e.actor_id = $2)
       AND ($3::text IS NULL OR e.action = $3) AND ($4::timestamptz IS NULL OR e.at >= $4)
       AND ($5::timestamptz IS NULL OR e.at < $5)`;
    const params = [
      q.patientId ?? null,
      q.actorId ?? null,
      q.action ?? null,
      q.from ?? null,
      q.to ?? null,
    ];
    const rows = await this.db.query(
      `SELECT e.id::text, e.at, e.actor_id, e.action, e.target_type, e.target_id, e.patient_id, e.address, e.details,
              u.full_name AS actor_name, u.email AS actor_email
         FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
        WHERE ${where} ORDER BY e.at DESC, e.id DESC LIMIT $6 OFFSET $7`,
      [...params, q.limit, q.offset],
    );
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM audit_events e WHERE ${where}`,
      params,
    );
    return {
      total: n,
      items: rows.map((r: Record<string, unknown>) => ({
        id: r.id as string,
        at: (r.at as Date).toISOString(),
        actorId: (r.actor_id as string | null) ?? null,
        actor: r.actor_id
          ? {
              id: r.actor_id as string,
              fullName: r.actor_name as string,
              email: r.actor_email as string,
            }
          : null,
        action: r.action as string,
        targetType: r.target_type as string,
        targetId: r.target_id as string | null,
        patientId: r.patient_id as string | null,
        address: r.address as string | null,
        details: r.details as Record<string, unknown> | null,
      })),
    };
  }
}
