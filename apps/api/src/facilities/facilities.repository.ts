import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FACILITY_LEVELS } from '@caunoi/shared';
import type {
  CreateFacility,
  CreateSupportLink,
  Facility,
  FacilityLevel,
  FacilityListQuery,
  Region,
  SupportKind,
  SupportLink,
  UpdateFacility,
} from '@caunoi/shared';
import { rowsOf } from '../common/sql';

const toFacility = (r: Record<string, unknown>, prefix = ''): Facility => ({
  id: r[`${prefix}id`] as string,
  code: r[`${prefix}code`] as string,
  name: r[`${prefix}name`] as string,
  province: r[`${prefix}province`] as string,
  level: r[`${prefix}level`] as FacilityLevel,
  region: (r[`${prefix}region`] as Region | null) ?? null,
});

@Injectable()
export class FacilitiesRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async list(q: FacilityListQuery): Promise<Facility[]> {
    const rows = await this.db.query(
      `SELECT id, code, name, province, level, region FROM facilities
        WHERE ($1::text IS NULL OR level = $1) AND ($2::text IS NULL OR province = $2)
          AND ($3::text IS NULL OR name ILIKE '%' || $3 || '%' OR code ILIKE $3 || '%')
        ORDER BY array_position($4::text[], level), name`,
      [q.level ?? null, q.province ?? null, q.q ?? null, FACILITY_LEVELS],
    );
    return rows.map((r: Record<string, unknown>) => toFacility(r));
  }

  async findById(id: string): Promise<Facility | null> {
    const rows = await this.db.query(
      `SELECT id, code, name, province, level, region FROM facilities WHERE id = $1`,
      [id],
    );
    return rows[0] ? toFacility(rows[0]) : null;
  }

  async findManyByIds(ids: string[]): Promise<Facility[]> {
    if (!ids.length) return [];
    const rows = await this.db.query(
      `SELECT id, code, name, province, level, region FROM facilities WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r: Record<string, unknown>) => toFacility(r));
  }

  async create(f: CreateFacility): Promise<Facility> {
    const rows = await this.db.query(
      `INSERT INTO facilities (code, name, province, level, region) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, code, name, province, level, region`,
      [f.code, f.name, f.province, f.level, f.region ?? null],
    );
    return toFacility(rows[0]);
  }

  async update(id: string, f: UpdateFacility): Promise<Facility | null> {
    const [row] = rowsOf(
      await this.db.query(
        `UPDATE facilities SET name = COALESCE($2, name), province = COALESCE($3, province), level = COALESCE($4, level),
                region = CASE WHEN $5 THEN $6 ELSE region END
          WHERE id = $1 RETURNING id, code, name, province, level, region`,
        [
          id,
          f.name ?? null,
          f.province ?? null,
          f.level ?? null,
          f.region !== undefined,
          f.region ?? null,
        ],
      ),
    );
    return row ? toFacility(row) : null;
  }

  /** Links where the facility is on either end. */
  async linksOf(facilityId: string): Promise<SupportLink[]> {
    const rows = await this.db.query(
      `SELECT l.id, l.kind,
              a.id a_id, a.code a_code, a.name a_name, a.province a_province, a.level a_level, a.region a_region,
              b.id b_id, b.code b_code, b.name b_name, b.province b_province, b.level b_level, b.region b_region
         FROM support_links l JOIN facilities a ON a.id = l.supporter_id JOIN facilities b ON b.id = l.supported_id
        WHERE l.supporter_id = $1 OR l.supported_id = $1 ORDER BY a.name, b.name`,
      [facilityId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      kind: r.kind as SupportKind,
      supporter: toFacility(r, 'a_'),
      supported: toFacility(r, 'b_'),
    }));
  }

  async supports(supporterId: string, supportedId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM support_links WHERE supporter_id = $1 AND supported_id = $2`,
      [supporterId, supportedId],
    );
    return rows.length > 0;
  }

  async createLink(l: CreateSupportLink): Promise<{ id: string }> {
    const rows = await this.db.query(
      `INSERT INTO support_links (supporter_id, supported_id, kind) VALUES ($1, $2, $3) RETURNING id`,
      [l.supporterId, l.supportedId, l.kind],
    );
    return rows[0];
  }

  async deleteLink(id: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(`DELETE FROM support_links WHERE id = $1 RETURNING id`, [id]),
    );
    return rows.length > 0;
  }
}
