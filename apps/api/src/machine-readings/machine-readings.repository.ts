import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  ImageRegion,
  MachineFindingDecision,
  MachineReading,
  MachineReadingStatus,
} from '@caunoi/shared';
import type { ReadFinding } from './reader-answer';

export interface ReaderRow {
  facilityId: string;
  url: string;
  tokenSealed: string | null;
  modalities: string[];
  bodyParts: string[];
  updatedAt: Date;
}

/** A DICOM image of a consultation a registered reader's facility takes part in, not yet looked at. */
export interface Candidate {
  attachmentId: string;
  facilityId: string;
  metadata: Record<string, unknown>;
  modalities: string[];
  bodyParts: string[];
}

/** A reading claimed by this instance for one attempt. */
export interface ClaimedReading {
  id: string;
  attachmentId: string;
  attempts: number;
  sha256: string;
  patientId: string;
  facilityId: string;
  url: string | null;
  tokenSealed: string | null;
}

const toReader = (r: Record<string, unknown>): ReaderRow => ({
  facilityId: r.facility_id as string,
  url: r.url as string,
  tokenSealed: (r.token_sealed as string | null) ?? null,
  modalities: r.modalities as string[],
  bodyParts: r.body_parts as string[],
  updatedAt: r.updated_at as Date,
});

const iso = (d: unknown) => (d ? (d as Date).toISOString() : null);

/** Machine readers, readings (the durable job and its result) and findings: SQL only. */
@Injectable()
export class MachineReadingsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async facilityExists(id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM facilities WHERE id = $1`, [id])).length > 0;
  }

  async reader(facilityId: string): Promise<ReaderRow | null> {
    const rows = await this.db.query(`SELECT * FROM machine_readers WHERE facility_id = $1`, [
      facilityId,
    ]);
    return rows[0] ? toReader(rows[0]) : null;
  }

  /** `tokenSealed` undefined keeps the stored token. */
  async saveReader(
    facilityId: string,
    r: { url: string; tokenSealed?: string | null; modalities: string[]; bodyParts: string[] },
  ): Promise<ReaderRow> {
    const rows = await this.db.query(
      `INSERT INTO machine_readers (facility_id, url, token_sealed, modalities, body_parts)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (facility_id) DO UPDATE SET url = EXCLUDED.url,
         token_sealed = CASE WHEN $6 THEN machine_readers.token_sealed ELSE EXCLUDED.token_sealed END,
         modalities = EXCLUDED.modalities, body_parts = EXCLUDED.body_parts, updated_at = now()
       RETURNING *`,
      [
        facilityId,
        r.url,
        r.tokenSealed ?? null,
        r.modalities,
        r.bodyParts,
        r.tokenSealed === undefined,
      ],
    );
    return toReader(rows[0]);
  }

  async deleteReader(facilityId: string): Promise<boolean> {
    const [, count] = (await this.db.query(`DELETE FROM machine_readers WHERE facility_id = $1`, [
      facilityId,
    ])) as [unknown, number];
    return count > 0;
  }

  async anyReader(): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM machine_readers LIMIT 1`)).length > 0;
  }

  /**
   * DICOM images added since `since` (and since the reader was registered) to consultations
   * requested by or addressed to a facility with a reader, that have no reading by that reader yet.
   */
  async candidates(since: Date, limit: number): Promise<Candidate[]> {
    const rows = await this.db.query(
      `SELECT a.id AS attachment_id, a.metadata, r.facility_id, r.modalities, r.body_parts
         FROM attachments a
         JOIN consultations c ON c.id = a.consultation_id
         JOIN machine_readers r ON r.facility_id IN (c.requesting_facility_id, c.target_facility_id)
        WHERE a.kind = 'dicom' AND a.created_at >= $1 AND a.created_at >= r.created_at
          AND NOT EXISTS (SELECT 1 FROM machine_readings m
                           WHERE m.attachment_id = a.id AND m.facility_id = r.facility_id)
        ORDER BY a.created_at LIMIT $2`,
      [since, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      attachmentId: r.attachment_id as string,
      facilityId: r.facility_id as string,
      metadata: (r.metadata as Record<string, unknown>) ?? {},
      modalities: r.modalities as string[],
      bodyParts: r.body_parts as string[],
    }));
  }

  async enqueue(
    attachmentId: string,
    facilityId: string,
    status: Extract<MachineReadingStatus, 'pending' | 'skipped'>,
    reason: string | null,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO machine_readings (attachment_id, facility_id, status, failure_reason)
       VALUES ($1, $2, $3, $4) ON CONFLICT ON CONSTRAINT machine_readings_once DO NOTHING`,
      [attachmentId, facilityId, status, reason],
    );
  }

  /**
   * Takes up to `limit` due readings for one attempt each; a lease makes a reading taken by an
   * instance that died mid-attempt due again once it runs out. SKIP LOCKED: instances never wait
   * for or take each other's rows.
   */
  async claimDue(leaseMs: number, limit: number): Promise<ClaimedReading[]> {
    // TypeORM answers an UPDATE … RETURNING as [rows, affected].
    const [rows] = await this.db.query(
      `WITH due AS (
         SELECT id FROM machine_readings
          WHERE status = 'pending' AND next_attempt_at <= now()
            AND (lease_until IS NULL OR lease_until < now())
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE machine_readings m SET attempts = m.attempts + 1,
              lease_until = now() + ($1::double precision * interval '1 millisecond')
         FROM due WHERE m.id = due.id
       RETURNING m.id, m.attachment_id, m.attempts, m.facility_id`,
      [leaseMs, limit],
    );
    if (!rows.length) return [];
    const details = await this.db.query(
      `SELECT m.id, a.sha256, c.patient_id, r.url, r.token_sealed
         FROM machine_readings m
         JOIN attachments a ON a.id = m.attachment_id
         JOIN consultations c ON c.id = a.consultation_id
         LEFT JOIN machine_readers r ON r.facility_id = m.facility_id
        WHERE m.id = ANY($1)`,
      [rows.map((r: { id: string }) => r.id)],
    );
    const byId = new Map(details.map((d: Record<string, unknown>) => [d.id, d]));
    return rows.map((r: Record<string, unknown>) => {
      const d = byId.get(r.id) as Record<string, unknown>;
      return {
        id: r.id as string,
        attachmentId: r.attachment_id as string,
        attempts: r.attempts as number,
        facilityId: r.facility_id as string,
        sha256: d.sha256 as string,
        patientId: d.patient_id as string,
        url: (d.url as string | null) ?? null,
        tokenSealed: (d.token_sealed as string | null) ?? null,
      };
    });
  }

  async retryLater(id: string, reason: string, delayMs: number): Promise<void> {
    await this.db.query(
      `UPDATE machine_readings SET failure_reason = $2, lease_until = NULL,
              next_attempt_at = now() + ($3::double precision * interval '1 millisecond')
        WHERE id = $1`,
      [id, reason, delayMs],
    );
  }

  async fail(id: string, reason: string, image?: { columns: number; rows: number }) {
    await this.db.query(
      `UPDATE machine_readings SET status = 'failed', failure_reason = $2, lease_until = NULL,
              completed_at = now(), image_columns = COALESCE($3, image_columns),
              image_rows = COALESCE($4, image_rows)
        WHERE id = $1`,
      [id, reason, image?.columns ?? null, image?.rows ?? null],
    );
  }

  async complete(
    id: string,
    r: {
      columns: number;
      rows: number;
      conclusion: string | null;
      report: unknown;
      findings: ReadFinding[];
    },
  ): Promise<void> {
    await this.db.transaction(async (q) => {
      await q.query(
        `UPDATE machine_readings SET status = 'completed', failure_reason = NULL, lease_until = NULL,
                completed_at = now(), image_columns = $2, image_rows = $3, conclusion = $4, report = $5
          WHERE id = $1`,
        [id, r.columns, r.rows, r.conclusion, JSON.stringify(r.report)],
      );
      for (const [i, f] of r.findings.entries())
        await q.query(
          `INSERT INTO machine_findings (reading_id, position, label, code_system, code, confidence, region)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, i, f.label, f.codeSystem, f.code, f.confidence, JSON.stringify(f.region)],
        );
    });
  }

  /** The readings of an image (those that read it or are trying to), with their findings. */
  listFor(attachmentId: string): Promise<MachineReading[]> {
    return this.listForImages([attachmentId]);
  }

  /** The same for several images in two queries (a patient's export covers whole series). */
  async listForImages(attachmentIds: string[]): Promise<MachineReading[]> {
    if (!attachmentIds.length) return [];
    const readings = await this.db.query(
      `SELECT m.*, f.name AS facility_name FROM machine_readings m
         JOIN facilities f ON f.id = m.facility_id
        WHERE m.attachment_id = ANY($1::uuid[]) AND m.status <> 'skipped' ORDER BY m.created_at, m.id`,
      [attachmentIds],
    );
    if (!readings.length) return [];
    const findings = await this.db.query(
      `SELECT x.*, u.full_name AS reviewer_name FROM machine_findings x
         LEFT JOIN users u ON u.id = x.reviewed_by
        WHERE x.reading_id = ANY($1) ORDER BY x.position`,
      [readings.map((r: { id: string }) => r.id)],
    );
    return readings.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      attachmentId: r.attachment_id as string,
      reader: { id: r.facility_id as string, name: r.facility_name as string },
      status: r.status as MachineReadingStatus,
      attempts: r.attempts as number,
      failureReason: (r.failure_reason as string | null) ?? null,
      image:
        r.image_columns && r.image_rows
          ? { columns: r.image_columns as number, rows: r.image_rows as number }
          : null,
      conclusion: (r.conclusion as string | null) ?? null,
      findings: findings
        .filter((f: Record<string, unknown>) => f.reading_id === r.id)
        .map((f: Record<string, unknown>) => ({
          id: f.id as string,
          label: f.label as string,
          code: f.code || f.code_system ? { system: f.code_system, code: f.code } : null,
          confidence: Number(f.confidence),
          region: f.region as ImageRegion,
          review: f.decision
            ? {
                decision: f.decision as MachineFindingDecision,
                by: { id: f.reviewed_by as string, fullName: f.reviewer_name as string },
                at: iso(f.reviewed_at)!,
              }
            : null,
        })),
      createdAt: iso(r.created_at)!,
      completedAt: iso(r.completed_at),
    })) as MachineReading[];
  }

  /** The image and consultation a finding belongs to (for the access check). */
  async findingOwner(
    findingId: string,
  ): Promise<{ attachmentId: string; consultationId: string } | null> {
    const rows = await this.db.query(
      `SELECT a.id AS attachment_id, a.consultation_id FROM machine_findings x
         JOIN machine_readings m ON m.id = x.reading_id
         JOIN attachments a ON a.id = m.attachment_id WHERE x.id = $1`,
      [findingId],
    );
    return rows[0]
      ? { attachmentId: rows[0].attachment_id, consultationId: rows[0].consultation_id }
      : null;
  }

  /** Sessions covering a consultation (their rooms hear about reviews). */
  async sessionsCovering(consultationId: string): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT session_id FROM session_consultations WHERE consultation_id = $1`,
      [consultationId],
    );
    return rows.map((r: { session_id: string }) => r.session_id);
  }

  async review(findingId: string, decision: MachineFindingDecision, userId: string) {
    await this.db.query(
      `UPDATE machine_findings SET decision = $2, reviewed_by = $3, reviewed_at = now() WHERE id = $1`,
      [findingId, decision, userId],
    );
  }
}
