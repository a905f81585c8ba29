import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DiagnosisReportRow, Icd10Entry } from '@caunoi/shared';

const toEntry = (r: Record<string, unknown>): Icd10Entry => ({
  code: r.code as string,
  nameVi: r.name_vi as string,
  nameEn: (r.name_en as string) ?? null,
  chapter: (r.chapter as string) ?? null,
});

@Injectable()
export class Icd10Repository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** By code prefix (J18 finds J18.9) or by part of the name, accent- and case-insensitive. */
  async search(q: string | undefined, limit: number): Promise<Icd10Entry[]> {
    const rows = await this.db.query(
      `SELECT code, name_vi, name_en, chapter FROM icd10_codes
        WHERE $1::text IS NULL OR code LIKE upper($1) || '%'
           OR search_fold(name_vi) LIKE '%' || search_fold($1) || '%'
           OR lower(coalesce(name_en, '')) LIKE '%' || lower($1) || '%'
        ORDER BY (code LIKE upper(coalesce($1, '')) || '%') DESC, code LIMIT $2`,
      [q ? q.replace(/[\\%_]/g, (c) => `\\${c}`) : null, limit],
    );
    return rows.map(toEntry);
  }

  async findMany(codes: string[]): Promise<Icd10Entry[]> {
    const rows = await this.db.query(
      `SELECT code, name_vi, name_en, chapter FROM icd10_codes WHERE code = ANY($1)`,
      [codes],
    );
    return rows.map(toEntry);
  }

  /** Inserts or updates each entry in one transaction; counts both. */
  async upsert(entries: Icd10Entry[]): Promise<{ imported: number; updated: number }> {
    return this.db.transaction(async (m) => {
      let imported = 0;
      let updated = 0;
      for (let i = 0; i < entries.length; i += 500) {
        const batch = entries.slice(i, i + 500);
        const rows: { inserted: boolean }[] = await m.query(
          `INSERT INTO icd10_codes (code, name_vi, name_en, chapter)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
           ON CONFLICT (code) DO UPDATE SET name_vi = EXCLUDED.name_vi, name_en = EXCLUDED.name_en,
             chapter = EXCLUDED.chapter, updated_at = now()
           RETURNING (xmax = 0) AS inserted`,
          [
            batch.map((e) => e.code),
            batch.map((e) => e.nameVi),
            batch.map((e) => e.nameEn),
            batch.map((e) => e.chapter),
          ],
        );
        const fresh = rows.filter((r) => r.inserted).length;
        imported += fresh;
        updated += rows.length - fresh;
      }
      return { imported, updated };
    });
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM icd10_codes`);
    return n;
  }

  /**
   * Consultations whose latest signed minutes carry a primary diagnosis (else their first one),
   * per ICD-10 chapter and month of signing (Vietnam time).
   */
  async diagnosesReport(filter: {
    from: string | null;
    to: string | null;
    facilityId: string | null;
  }): Promise<DiagnosisReportRow[]> {
    const rows = await this.db.query(
      `WITH latest AS (
         SELECT DISTINCT ON (m.consultation_id) m.consultation_id, m.signed_at, m.diagnoses
           FROM minutes m JOIN consultations c ON c.id = m.consultation_id
          WHERE m.status = 'signed' AND ($1::timestamptz IS NULL OR m.signed_at >= $1)
            AND ($2::timestamptz IS NULL OR m.signed_at < $2)
            AND ($3::uuid IS NULL OR c.target_facility_id = $3)
          ORDER BY m.consultation_id, m.version DESC),
       main AS (
         SELECT l.consultation_id, l.signed_at,
                coalesce((SELECT d->>'code' FROM jsonb_array_elements(l.diagnoses) d
                           WHERE (d->>'primary')::boolean LIMIT 1), l.diagnoses->0->>'code') AS code
           FROM latest l)
       SELECT to_char(main.signed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') AS month,
              coalesce(c.chapter, 'uncoded') AS chapter, count(*)::int AS consultations
         FROM main LEFT JOIN icd10_codes c ON c.code = main.code
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [filter.from, filter.to, filter.facilityId],
    );
    return rows;
  }
}
