import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  Consent,
  ConsentKind,
  CreatePatient,
  Patient,
  RecordConsent,
  Sex,
} from '@caunoi/shared';
import type { AuthUser } from '../auth/current-user';
import { ConsultationScope } from '../access/consultation-scope';

const COLUMNS = `p.id, p.facility_id, p.full_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth, p.sex,
  p.national_id, p.insurance_number, p.created_by, p.created_at`;

export const toPatient = (r: Record<string, unknown>): Patient => ({
  id: r.id as string,
  facilityId: r.facility_id as string,
  fullName: r.full_name as string,
  dateOfBirth: r.date_of_birth as string,
  sex: r.sex as Sex,
  nationalId: (r.national_id as string) ?? null,
  insuranceNumber: (r.insurance_number as string) ?? null,
  createdBy: r.created_by as string,
  createdAt: (r.created_at as Date).toISOString(),
});

@Injectable()
export class PatientsRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ConsultationScope) private readonly scope: ConsultationScope,
  ) {}

  async create(input: CreatePatient, facilityId: string, createdBy: string): Promise<Patient> {
    const rows = await this.db.query(
      `INSERT INTO patients AS p (facility_id, full_name, date_of_birth, sex, national_id, insurance_number, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        facilityId,
        input.fullName,
        input.dateOfBirth,
        input.sex,
        input.nationalId ?? null,
        input.insuranceNumber ?? null,
        createdBy,
      ],
    );
    return toPatient(rows[0]);
  }

  async findById(id: string): Promise<Patient | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM patients p WHERE p.id = $1`, [id]);
    return rows[0] ? toPatient(rows[0]) : null;
  }

  /** Patients in the user's scope (see AccessPolicy.patient), matched by name (accent- and case-insensitive: "trinh" finds "Trịnh", see search_fold), national ID or card number. */
  async search(
    user: AuthUser,
    q: string | undefined,
    limit: number,
    offset: number,
  ): Promise<Patient[]> {
    const scope = this.scope.predicate(user, 'c', 5);
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM patients p
        WHERE (($1::boolean AND p.facility_id = $2::uuid)
               OR EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = p.id AND ${scope.sql}))
          AND ($3::text IS NULL OR search_fold(p.full_name) LIKE '%' || search_fold($3) || '%' OR p.national_id = $3 OR p.insurance_number = upper($3))
        ORDER BY p.full_name, p.id LIMIT $4 OFFSET $5`,
      [
        user.roles.includes('requester'),
        user.facilityId,
        q || null,
        limit,
        offset,
        ...scope.params,
      ],
    );
    return rows.map(toPatient);
  }

  async addConsent(
    patientId: string,
    input: RecordConsent,
    recordedBy: string,
  ): Promise<{ id: string }> {
    const rows = await this.db.query(
      `INSERT INTO consents (patient_id, kind, granted, note, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [patientId, input.kind, input.granted, input.note ?? null, recordedBy],
    );
    return rows[0];
  }

  async consents(patientId: string): Promise<Consent[]> {
    const rows = await this.db.query(
      `SELECT c.id, c.patient_id, c.kind, c.granted, c.note, c.recorded_at, u.id AS user_id, u.full_name
         FROM consents c JOIN users u ON u.id = c.recorded_by WHERE c.patient_id = $1 ORDER BY c.recorded_at, c.id`,
      [patientId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      patientId: r.patient_id as string,
      kind: r.kind as ConsentKind,
      granted: r.granted as boolean,
      note: (r.note as string) ?? null,
      recordedBy: { id: r.user_id as string, fullName: r.full_name as string },
      recordedAt: (r.recorded_at as Date).toISOString(),
    }));
  }

  /** The latest decision of each kind (absent: never recorded). */
  async latestConsents(patientId: string): Promise<Partial<Record<Consent['kind'], boolean>>> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (kind) kind, granted FROM consents WHERE patient_id = $1
        ORDER BY kind, recorded_at DESC, id DESC`,
      [patientId],
    );
    return Object.fromEntries(
      rows.map((r: { kind: string; granted: boolean }) => [r.kind, r.granted]),
    );
  }

  /** The latest decision of each kind counts: consent can be withdrawn by a later record. */
  async currentConsent(patientId: string, kind: ConsentKind): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT granted FROM consents WHERE patient_id = $1 AND kind = $2 ORDER BY recorded_at DESC, id DESC LIMIT 1`,
      [patientId, kind],
    );
    return rows[0]?.granted === true;
  }
}
