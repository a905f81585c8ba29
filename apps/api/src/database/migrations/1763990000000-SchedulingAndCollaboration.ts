import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduling and collaboration: availability, bookings that PostgreSQL itself keeps free of overlaps, session history,
 * calendar feeds, chat, the shared view and annotations.
 *
 * Double booking is refused by exclusion constraints on `session_bookings` (btree_gist), not by a
 * read-then-write in the application, so that concurrent requests cannot both win. A cancelled or
 * superseded booking keeps its row (history) and drops out of the constraint via `WHERE (NOT cancelled)`.
 */
export class SchedulingAndCollaboration1763990000000 implements MigrationInterface {
  name = 'SchedulingAndCollaboration1763990000000';

  async up(q: QueryRunner): Promise<void> {
    // Weekly pattern in Vietnam wall-clock minutes (Asia/Ho_Chi_Minh has no DST, so the mapping to
    // UTC is fixed); owner is a user (specialist) or a facility (its bridge room).
    await q.query(`
      CREATE TABLE availability_rules (
        id bigserial PRIMARY KEY,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        facility_id uuid REFERENCES facilities(id) ON DELETE CASCADE,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute integer NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
        CONSTRAINT availability_rules_order CHECK (end_minute > start_minute),
        CONSTRAINT availability_rules_owner CHECK ((user_id IS NULL) <> (facility_id IS NULL))
      )`);
    await q.query(`CREATE INDEX availability_rules_user_idx ON availability_rules (user_id)`);
    await q.query(
      `CREATE INDEX availability_rules_facility_idx ON availability_rules (facility_id)`,
    );
    await q.query(`
      CREATE TABLE availability_exceptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        facility_id uuid REFERENCES facilities(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('leave','on_call')),
        during tstzrange NOT NULL CHECK (NOT isempty(during)),
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT availability_exceptions_owner CHECK ((user_id IS NULL) <> (facility_id IS NULL))
      )`);
    await q.query(
      `CREATE INDEX availability_exceptions_user_idx ON availability_exceptions USING gist (user_id, during)`,
    );
    await q.query(
      `CREATE INDEX availability_exceptions_facility_idx ON availability_exceptions USING gist (facility_id, during)`,
    );

    // Session states: scheduled | in_progress | ended | cancelled ('completed' is accepted as a
    // synonym of 'ended' because early seeds wrote it).
    await q.query(`ALTER TABLE sessions
      ADD COLUMN organiser_facility_id uuid REFERENCES facilities(id),
      ADD COLUMN sequence integer NOT NULL DEFAULT 0,
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN opened_at timestamptz,
      ADD CONSTRAINT sessions_status_known CHECK (status IN ('scheduled','in_progress','ended','completed','cancelled'))`);
    await q.query(`CREATE INDEX sessions_time_idx ON sessions (starts_at)`);

    await q.query(`
      CREATE TABLE session_bookings (
        id bigserial PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        user_id uuid REFERENCES users(id),
        facility_id uuid REFERENCES facilities(id),
        during tstzrange NOT NULL CHECK (NOT isempty(during)),
        cancelled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT session_bookings_owner CHECK ((user_id IS NULL) <> (facility_id IS NULL)),
        CONSTRAINT session_bookings_no_user_overlap EXCLUDE USING gist (user_id WITH =, during WITH &&)
          WHERE (NOT cancelled AND user_id IS NOT NULL),
        CONSTRAINT session_bookings_no_site_overlap EXCLUDE USING gist (facility_id WITH =, during WITH &&)
          WHERE (NOT cancelled AND facility_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX session_bookings_session_idx ON session_bookings (session_id)`);

    // Who booked, moved or cancelled a session, and when (the bookings keep the old times).
    await q.query(`
      CREATE TABLE session_changes (
        id bigserial PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('booked','rescheduled','cancelled')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        actor_id uuid REFERENCES users(id),
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX session_changes_session_idx ON session_changes (session_id, at)`);

    // The SFU retries reports; the peer id makes a repeated "joined" land once.
    await q.query(`ALTER TABLE attendance ADD COLUMN peer_id text`);
    await q.query(
      `CREATE UNIQUE INDEX attendance_peer_idx ON attendance (session_id, peer_id) WHERE peer_id IS NOT NULL`,
    );

    // A per-user capability URL for calendar apps (they cannot send a bearer token).
    await q.query(`
      CREATE TABLE calendar_feeds (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        token text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE chat_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        author_id uuid NOT NULL REFERENCES users(id),
        client_id uuid NOT NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT chat_messages_once UNIQUE (session_id, author_id, client_id)
      )`);
    await q.query(
      `CREATE INDEX chat_messages_session_idx ON chat_messages (session_id, created_at)`,
    );

    // The current shared view, so a late joiner (on any API instance) sees it at once.
    await q.query(`
      CREATE TABLE session_views (
        session_id uuid PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        presenter_id uuid REFERENCES users(id),
        view jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE annotations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        attachment_id uuid NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
        session_id uuid REFERENCES sessions(id) ON DELETE SET NULL,
        author_id uuid NOT NULL REFERENCES users(id),
        client_id uuid NOT NULL,
        page integer NOT NULL DEFAULT 1,
        shape jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT annotations_once UNIQUE (attachment_id, author_id, client_id)
      )`);
    await q.query(
      `CREATE INDEX annotations_attachment_idx ON annotations (attachment_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'annotations',
      'session_views',
      'chat_messages',
      'calendar_feeds',
      'session_changes',
      'session_bookings',
      'availability_exceptions',
      'availability_rules',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query(`DROP INDEX IF EXISTS attendance_peer_idx`);
    await q.query(`ALTER TABLE attendance DROP COLUMN IF EXISTS peer_id`);
    await q.query(`DROP INDEX IF EXISTS sessions_time_idx`);
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_status_known,
      DROP COLUMN IF EXISTS organiser_facility_id, DROP COLUMN IF EXISTS sequence,
      DROP COLUMN IF EXISTS updated_at, DROP COLUMN IF EXISTS opened_at`);
  }
}
