import { MigrationInterface, QueryRunner } from 'typeorm';
import { REGIONS } from '@caunoi/shared';

/**
 * Several SFU nodes: where each session's room is (the node the API placed it on, and the
 * address its join tokens carry), and the region of a facility, which placement prefers.
 */
export class SfuPlacement1765300000000 implements MigrationInterface {
  name = 'SfuPlacement1765300000000';

  async up(q: QueryRunner): Promise<void> {
    const regions = REGIONS.map((r) => `'${r}'`).join(', ');
    await q.query(
      `ALTER TABLE facilities ADD COLUMN region text CONSTRAINT facilities_region_check CHECK (region IN (${regions}))`,
    );
    await q.query(`
      CREATE TABLE session_placements (
        session_id uuid PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        node_id text NOT NULL,
        sfu_url text NOT NULL,
        sfu_path text,
        internal_url text NOT NULL,
        placed_at timestamptz NOT NULL DEFAULT now(),
        -- How often the session had to leave a node that died or was drained away.
        moves int NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX session_placements_node_idx ON session_placements (node_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS session_placements`);
    await q.query(`ALTER TABLE facilities DROP COLUMN IF EXISTS region`);
  }
}
