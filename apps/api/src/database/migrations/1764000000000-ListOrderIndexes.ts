import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /consultations` pages in the order urgency rank (emergency, urgent, routine), submitted_at
 * (nulls last), created_at. Each arm of the access scope (requesting facility, target facility)
 * gets that order in an index, with and without status after the facility (for `?status=`), so a
 * page is read straight off an index instead of sorting the whole scope (22k requests of one
 * district: the requester's page went from joining and sorting every row to ~20 index entries).
 * The rank expression must stay identical to URGENCY_RANK in consultations.repository.ts.
 */
const RANK = `array_position(ARRAY['emergency','urgent','routine'], urgency)`;

export class ListOrderIndexes1764000000000 implements MigrationInterface {
  name = 'ListOrderIndexes1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX consultations_requesting_order_idx ON consultations (requesting_facility_id, (${RANK}), submitted_at, created_at)`,
    );
    await q.query(
      `CREATE INDEX consultations_requesting_status_order_idx ON consultations (requesting_facility_id, status, (${RANK}), submitted_at, created_at)`,
    );
    await q.query(
      `CREATE INDEX consultations_target_order_idx ON consultations (target_facility_id, (${RANK}), submitted_at, created_at)`,
    );
    await q.query(
      `CREATE INDEX consultations_target_status_order_idx ON consultations (target_facility_id, status, (${RANK}), submitted_at, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS consultations_target_status_order_idx`);
    await q.query(`DROP INDEX IF EXISTS consultations_target_order_idx`);
    await q.query(`DROP INDEX IF EXISTS consultations_requesting_status_order_idx`);
    await q.query(`DROP INDEX IF EXISTS consultations_requesting_order_idx`);
  }
}
