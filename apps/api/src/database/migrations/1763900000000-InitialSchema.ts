import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The core schema: facilities, people, patients, consultations, attachments, minutes,
 * audit — plus the minimal session tables (sessions, their consultations, participants, sites,
 * attendance) that the access rule and the minutes need. Later migrations extend sessions
 * (bookings, exclusion constraints on btree_gist, availability).
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE facilities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        province text NOT NULL,
        level text NOT NULL CHECK (level IN ('central','provincial','district','commune')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE support_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supporter_id uuid NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
        supported_id uuid NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('mentoring','satellite')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT support_links_distinct CHECK (supporter_id <> supported_id),
        CONSTRAINT support_links_unique UNIQUE (supporter_id, supported_id)
      )`);
    await q.query(`CREATE INDEX support_links_supported_idx ON support_links (supported_id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        full_name text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0
          AND roles <@ ARRAY['requester','specialist','coordinator','admin']::text[]),
        facility_id uuid REFERENCES facilities(id),
        specialty text,
        license_number text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`CREATE INDEX users_facility_idx ON users (facility_id)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);

    await q.query(`
      CREATE TABLE patients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        full_name text NOT NULL,
        date_of_birth date NOT NULL,
        sex text NOT NULL CHECK (sex IN ('male','female','other')),
        national_id text CHECK (national_id ~ '^[0-9]{12}$'),
        insurance_number text CHECK (char_length(insurance_number) = 15),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX patients_facility_idx ON patients (facility_id, lower(full_name))`);
    await q.query(`CREATE INDEX patients_national_id_idx ON patients (national_id)`);
    await q.query(`CREATE INDEX patients_insurance_idx ON patients (insurance_number)`);

    await q.query(`
      CREATE TABLE consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('teleconsultation','recording')),
        granted boolean NOT NULL,
        note text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX consents_patient_idx ON consents (patient_id, recorded_at)`);

    await q.query(`
      CREATE TABLE consultations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL REFERENCES patients(id),
        requesting_facility_id uuid NOT NULL REFERENCES facilities(id),
        requester_id uuid NOT NULL REFERENCES users(id),
        target_facility_id uuid NOT NULL REFERENCES facilities(id),
        specialty text NOT NULL,
        urgency text NOT NULL CHECK (urgency IN ('routine','urgent','emergency')),
        summary text NOT NULL,
        question text NOT NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN
          ('draft','submitted','accepted','declined','scheduled','in_progress','completed','cancelled')),
        status_reason text,
        submitted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The triage queue: a target facility's requests by state, most urgent and oldest first.
    await q.query(
      `CREATE INDEX consultations_queue_idx ON consultations (target_facility_id, status, urgency, submitted_at)`,
    );
    await q.query(
      `CREATE INDEX consultations_requesting_idx ON consultations (requesting_facility_id, status, created_at)`,
    );
    await q.query(`CREATE INDEX consultations_patient_idx ON consultations (patient_id)`);

    await q.query(`
      CREATE TABLE consultation_transitions (
        id bigserial PRIMARY KEY,
        consultation_id uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        actor_id uuid REFERENCES users(id),
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX consultation_transitions_idx ON consultation_transitions (consultation_id, at)`,
    );

    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        consultation_id uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        kind text NOT NULL CHECK (kind IN ('pdf','png','jpeg','dicom','lab_results')),
        media_type text NOT NULL,
        file_name text NOT NULL,
        size_bytes bigint NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        uploaded_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX attachments_consultation_idx ON attachments (consultation_id, created_at)`,
    );

    // Minimal session tables; the scheduling migrations extend them.
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled',
        title text,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        cancelled_at timestamptz,
        cancel_reason text,
        CONSTRAINT sessions_time_order CHECK (ends_at > starts_at)
      )`);
    await q.query(`
      CREATE TABLE session_consultations (
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        consultation_id uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        PRIMARY KEY (session_id, consultation_id)
      )`);
    await q.query(
      `CREATE INDEX session_consultations_consultation_idx ON session_consultations (consultation_id)`,
    );
    await q.query(`
      CREATE TABLE session_participants (
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        PRIMARY KEY (session_id, user_id)
      )`);
    await q.query(`CREATE INDEX session_participants_user_idx ON session_participants (user_id)`);
    await q.query(`
      CREATE TABLE session_sites (
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        PRIMARY KEY (session_id, facility_id)
      )`);
    await q.query(`
      CREATE TABLE attendance (
        id bigserial PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        joined_at timestamptz NOT NULL,
        left_at timestamptz
      )`);
    await q.query(`CREATE INDEX attendance_session_idx ON attendance (session_id, user_id)`);

    await q.query(`
      CREATE TABLE minutes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        consultation_id uuid NOT NULL REFERENCES consultations(id),
        version integer NOT NULL CHECK (version >= 1),
        status text NOT NULL CHECK (status IN ('draft','signed')),
        summary text NOT NULL,
        opinions text NOT NULL,
        conclusion text NOT NULL,
        recommendations text NOT NULL,
        chair_id uuid NOT NULL REFERENCES users(id),
        secretary_id uuid REFERENCES users(id),
        session_id uuid REFERENCES sessions(id),
        participants jsonb NOT NULL DEFAULT '[]'::jsonb,
        supersedes_id uuid REFERENCES minutes(id),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        signed_at timestamptz,
        signed_by uuid REFERENCES users(id),
        CONSTRAINT minutes_version_unique UNIQUE (consultation_id, version),
        CONSTRAINT minutes_signed_complete CHECK (status = 'draft' OR (signed_at IS NOT NULL AND signed_by IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX minutes_one_draft_idx ON minutes (consultation_id) WHERE status = 'draft'`,
    );

    // Signed minutes are a legal record: the database refuses any change or removal, whoever asks.
    await q.query(`
      CREATE FUNCTION minutes_guard_signed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'signed' THEN
          RAISE EXCEPTION 'signed minutes % are immutable; record a correction as a new version', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER minutes_immutable_after_signing BEFORE UPDATE OR DELETE ON minutes
      FOR EACH ROW EXECUTE FUNCTION minutes_guard_signed()`);

    await q.query(`
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        patient_id uuid,
        address text,
        details jsonb
      )`);
    await q.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);
    await q.query(`CREATE INDEX audit_events_patient_idx ON audit_events (patient_id, at)`);
    await q.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at)`);
    // Append-only: row and statement triggers so neither UPDATE/DELETE nor TRUNCATE can rewrite history.
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'audit_events',
      'minutes',
      'attendance',
      'session_sites',
      'session_participants',
      'session_consultations',
      'sessions',
      'attachments',
      'consultation_transitions',
      'consultations',
      'consents',
      'patients',
      'refresh_tokens',
      'users',
      'support_links',
      'facilities',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t} CASCADE`);
    }
    await q.query(`DROP FUNCTION IF EXISTS audit_events_append_only()`);
    await q.query(`DROP FUNCTION IF EXISTS minutes_guard_signed()`);
  }
}
