import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CorrectPatient, Patient, PatientRevision } from '@caunoi/shared';
import { toPatient } from './patients.repository';

const FIELDS = {
  fullName: 'full_name',
  dateOfBirth: 'date_of_birth',
  sex: 'sex',
  nationalId: 'national_id',
  insuranceNumber: 'insurance_number',
} as const;
type Field = keyof typeof FIELDS;

const SELECT = `SELECT p.id, p.facility_id, p.full_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
  p.sex, p.national_id, p.insurance_number, p.created_by, p.created_at FROM patients p WHERE p.id = $1`;

@Injectable()
export class PatientRevisionsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Applies the correction and keeps the replaced values, in one transaction; null if no patient. */
  async correct(
    patientId: string,
    input: CorrectPatient,
    changedBy: string,
  ): Promise<{ patient: Patient; changed: Field[] } | null> {
    return this.db.transaction(async (m) => {
      const rows = await m.query(`${SELECT} FOR UPDATE`, [patientId]);
      if (!rows[0]) return null;
      const current = toPatient(rows[0]);
      const changed = (Object.keys(FIELDS) as Field[]).filter(
        (f) => f in input && input[f] !== undefined && (input[f] ?? null) !== current[f],
      );
      if (!changed.length) return { patient: current, changed };
      const sets = changed.map((f, i) => `${FIELDS[f]} = $${i + 2}`).join(', ');
      await m.query(`UPDATE patients SET ${sets} WHERE id = $1`, [
        patientId,
        ...changed.map((f) => input[f] ?? null),
      ]);
      const pick = (p: Partial<Patient>) => Object.fromEntries(changed.map((f) => [f, p[f]]));
      await m.query(
        `INSERT INTO patient_revisions (patient_id, changed_by, reason, before, after) VALUES ($1, $2, $3, $4, $5)`,
        [patientId, changedBy, input.reason, pick(current), pick(input as Partial<Patient>)],
      );
      const after = await m.query(SELECT, [patientId]);
      return { patient: toPatient(after[0]), changed };
    });
  }

  async list(patientId: string): Promise<PatientRevision[]> {
    const rows = await this.db.query(
      `SELECT r.id, r.changed_at, r.reason, r.before, r.after, u.id AS user_id, u.full_name
         FROM patient_revisions r JOIN users u ON u.id = r.changed_by
        WHERE r.patient_id = $1 ORDER BY r.changed_at, r.id`,
      [patientId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: String(r.id),
      changedAt: (r.changed_at as Date).toISOString(),
      changedBy: { id: r.user_id as string, fullName: r.full_name as string },
      reason: r.reason as string,
      before: r.before as Partial<Patient>,
      after: r.after as Partial<Patient>,
    }));
  }
}
