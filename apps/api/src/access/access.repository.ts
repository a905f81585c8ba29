import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { consultationScope } from './consultation-scope';

export interface ConsultationAccessRow {
  id: string;
  patientId: string;
  status: string;
  requestingFacilityId: string;
  targetFacilityId: string;
  /** inside the scope rule of consultation-scope.ts */
  visible: boolean;
  /** invited to a not-cancelled session covering it */
  participant: boolean;
}

/** The SQL behind AccessPolicy: one consultation (or patient) checked against the scope rule. */
@Injectable()
export class AccessRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async consultation(
    user: AuthUser,
    consultationId: string,
  ): Promise<ConsultationAccessRow | null> {
    const scope = consultationScope(user, 'c', 1); // $2..$5; $5 is the user id
    const rows = await this.db.query(
      `SELECT c.id, c.patient_id, c.status, c.requesting_facility_id, c.target_facility_id, ${scope.sql} AS visible,
              EXISTS (SELECT 1 FROM session_consultations sc JOIN sessions s ON s.id = sc.session_id AND s.status <> 'cancelled'
                        JOIN session_participants sp ON sp.session_id = s.id AND sp.user_id = $5
                       WHERE sc.consultation_id = c.id) AS participant
         FROM consultations c WHERE c.id = $1`,
      [consultationId, ...scope.params],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      patientId: r.patient_id,
      status: r.status,
      requestingFacilityId: r.requesting_facility_id,
      targetFacilityId: r.target_facility_id,
      visible: r.visible,
      participant: r.participant,
    };
  }

  /** null when the patient does not exist. */
  async patient(
    user: AuthUser,
    patientId: string,
  ): Promise<{ registeredHere: boolean; viaConsultation: boolean } | null> {
    const scope = consultationScope(user, 'c', 2); // $3..$6
    const rows = await this.db.query(
      `SELECT (p.facility_id = $2::uuid AND $7::boolean) AS registered_here,
              EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = p.id AND ${scope.sql}) AS via_consultation
         FROM patients p WHERE p.id = $1`,
      [patientId, user.facilityId, ...scope.params, user.roles.includes('requester')],
    );
    const r = rows[0];
    return r
      ? { registeredHere: r.registered_here === true, viaConsultation: r.via_consultation === true }
      : null;
  }
}
