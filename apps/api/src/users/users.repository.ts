import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role, UserSummary } from '@caunoi/shared';
import type { AuthUser } from '../auth/current-user';
import { rowsOf } from '../common/sql';

export interface UserRecord extends AuthUser {
  passwordHash: string;
  active: boolean;
  createdAt: Date;
  mustChangePassword: boolean;
  /** When the TOTP second factor was activated; null without one. */
  totpEnabledAt: Date | null;
}

const COLUMNS = `id, email, full_name, roles, facility_id, specialty, license_number, active, created_at, password_hash, must_change_password, totp_enabled_at`;

function toUser(r: Record<string, unknown>): UserRecord {
  return {
    id: r.id as string,
    email: r.email as string,
    fullName: r.full_name as string,
    roles: r.roles as Role[],
    facilityId: (r.facility_id as string) ?? null,
    specialty: (r.specialty as string) ?? null,
    licenseNumber: (r.license_number as string) ?? null,
    active: r.active as boolean,
    createdAt: r.created_at as Date,
    passwordHash: r.password_hash as string,
    mustChangePassword: (r.must_change_password as boolean) ?? false,
    totpEnabledAt: (r.totp_enabled_at as Date) ?? null,
  };
}

export interface NewUser {
  email: string;
  passwordHash: string;
  fullName: string;
  roles: Role[];
  facilityId: string | null;
  specialty?: string | null;
  licenseNumber?: string | null;
  mustChangePassword?: boolean;
}

export type UserChanges = Partial<Omit<NewUser, 'email'> & { active: boolean }>;

@Injectable()
export class UsersRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async findByEmail(email: string): Promise<UserRecord | null> {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findManyByIds(ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    return rows.map(toUser);
  }

  /**
   * `q` matches part of the name or e-mail, accent- and case-insensitive (`search_fold`, đ = d);
   * LIKE wildcards in it are taken literally (e-mails often hold `_`).
   */
  async list(filter: {
    q?: string;
    facilityId?: string;
    role?: Role;
    activeOnly?: boolean;
    limit: number;
    offset: number;
  }): Promise<UserRecord[]> {
    const rows = await this.db.query(
      `WITH m AS (SELECT '%' || replace(replace(replace(search_fold($6::text), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS pattern)
       SELECT ${COLUMNS} FROM users, m
        WHERE ($1::uuid IS NULL OR facility_id = $1) AND ($2::text IS NULL OR $2 = ANY(roles)) AND (NOT $5 OR active)
          AND ($6::text IS NULL OR search_fold(full_name) LIKE m.pattern OR search_fold(email) LIKE m.pattern)
        ORDER BY full_name, id LIMIT $3 OFFSET $4`,
      [
        filter.facilityId ?? null,
        filter.role ?? null,
        filter.limit,
        filter.offset,
        filter.activeOnly ?? false,
        filter.q ?? null,
      ],
    );
    return rows.map(toUser);
  }

  async create(u: NewUser): Promise<UserRecord> {
    const rows = await this.db.query(
      `INSERT INTO users (email, password_hash, full_name, roles, facility_id, specialty, license_number, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        u.email,
        u.passwordHash,
        u.fullName,
        u.roles,
        u.facilityId,
        u.specialty ?? null,
        u.licenseNumber ?? null,
        u.mustChangePassword ?? false,
      ],
    );
    return toUser(rows[0]);
  }

  async update(id: string, c: UserChanges): Promise<UserRecord | null> {
    const rows = await this.db.query(
      `UPDATE users SET
         password_hash = COALESCE($2, password_hash),
         full_name = COALESCE($3, full_name),
         roles = COALESCE($4, roles),
         facility_id = CASE WHEN $5::boolean THEN $6::uuid ELSE facility_id END,
         specialty = CASE WHEN $7::boolean THEN $8 ELSE specialty END,
         license_number = CASE WHEN $9::boolean THEN $10 ELSE license_number END,
         active = COALESCE($11, active),
         must_change_password = COALESCE($12, must_change_password)
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        c.passwordHash ?? null,
        c.fullName ?? null,
        c.roles ?? null,
        c.facilityId !== undefined,
        c.facilityId ?? null,
        c.specialty !== undefined,
        c.specialty ?? null,
        c.licenseNumber !== undefined,
        c.licenseNumber ?? null,
        c.active ?? null,
        c.mustChangePassword ?? null,
      ],
    );
    const [row] = rowsOf(rows);
    return row ? toUser(row) : null;
  }

  /** Forgets the TOTP authenticator and the recovery codes of a user. */
  async clearSecondFactor(id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1`,
        [id],
      );
      await m.query(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [id]);
    });
  }

  async count(): Promise<number> {
    const rows = await this.db.query(`SELECT count(*)::int AS n FROM users`);
    return rows[0].n;
  }
}

export function toSummary(u: AuthUser): UserSummary {
  return {
    id: u.id,
    email: u.email,
    fullName: u.fullName,
    roles: u.roles,
    facilityId: u.facilityId,
    specialty: u.specialty,
    licenseNumber: u.licenseNumber,
  };
}
