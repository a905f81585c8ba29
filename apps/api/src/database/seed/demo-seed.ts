import bcrypt from 'bcryptjs';
import type { DataSource, EntityManager } from 'typeorm';
import { isFinalStatus } from '@caunoi/shared';
import { DEMO_CASES, DEMO_PATIENTS } from './demo-cases';
import { DEMO_FACILITIES, DEMO_SUPPORT_LINKS, DEMO_USERS } from './demo-network';
import { EXTRA_SEED_STEPS } from './extra-steps';
import type { DemoSeedResult } from './types';

export type { DemoSeedResult } from './types';

const HOUR = 3600_000;
// Pinned key of the advisory lock: two API replicas starting together seed once.
const SEED_LOCK = 7_262_026;

/**
 * The demo accounts have a published password: never on a production server by accident. With
 * NODE_ENV=production the seed runs only when SEED_DEMO_FORCE=true says so (`npm start`, the demo
 * launcher, does); the first real administrator comes from `npm run admin:create`.
 */
export function assertDemoSeedAllowed(env: { NODE_ENV?: string; SEED_DEMO_FORCE?: boolean }): void {
  if (env.NODE_ENV === 'production' && !env.SEED_DEMO_FORCE)
    throw new Error(
      'Refusing to seed the demo network (published passwords) with NODE_ENV=production; ' +
        'set SEED_DEMO_FORCE=true to do it anyway, or create an administrator with `npm run admin:create`',
    );
}

/**
 * Seeds the demo network when the database has no users yet. Safe to call on every start:
 * it takes an advisory lock and does nothing on a database that already has data.
 */
export async function seedDemoIfEmpty(
  db: DataSource,
  password: string,
): Promise<DemoSeedResult | null> {
  return db.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM users');
    if (n > 0) return null;
    const result = await seedDemo(m, password);
    for (const step of EXTRA_SEED_STEPS) await step(m, result);
    return result;
  });
}

async function seedDemo(m: EntityManager, password: string): Promise<DemoSeedResult> {
  const r: DemoSeedResult = { facilities: {}, users: {}, patients: {}, consultations: [] };
  for (const f of DEMO_FACILITIES) {
    const [row] = await m.query(
      `INSERT INTO facilities (code, name, province, level) VALUES ($1, $2, $3, $4) RETURNING id`,
      [f.code, f.name, f.province, f.level],
    );
    r.facilities[f.code] = row.id;
  }
  for (const [a, b, kind] of DEMO_SUPPORT_LINKS) {
    await m.query(
      `INSERT INTO support_links (supporter_id, supported_id, kind) VALUES ($1, $2, $3)`,
      [r.facilities[a], r.facilities[b], kind],
    );
  }
  // One hash for all demo accounts: they share the demo password, and bcrypt is slow on purpose.
  const hash = await bcrypt.hash(password, 10);
  for (const u of DEMO_USERS) {
    const [row] = await m.query(
      `INSERT INTO users (email, password_hash, full_name, roles, facility_id, specialty, license_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        u.email,
        hash,
        u.fullName,
        u.roles,
        u.facility ? r.facilities[u.facility] : null,
        u.specialty ?? null,
        u.licenseNumber ?? null,
      ],
    );
    r.users[u.email] = row.id;
  }
  const registrar = (facility: string) =>
    facility === 'TYT-X1'
      ? r.users['requester@commune-1.demo']
      : r.users['requester@district-1.demo'];
  for (const p of DEMO_PATIENTS) {
    const [row] = await m.query(
      `INSERT INTO patients (facility_id, full_name, date_of_birth, sex, national_id, insurance_number, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        r.facilities[p.facility],
        p.fullName,
        p.dateOfBirth,
        p.sex,
        p.nationalId,
        p.insuranceNumber,
        registrar(p.facility),
      ],
    );
    r.patients[p.key] = row.id;
    await m.query(
      `INSERT INTO consents (patient_id, kind, granted, recorded_by) VALUES ($1, 'teleconsultation', true, $2)`,
      [row.id, registrar(p.facility)],
    );
  }
  for (const [i, c] of DEMO_CASES.entries()) r.consultations.push(await seedCase(m, r, c, i));
  return r;
}

async function seedCase(
  m: EntityManager,
  r: DemoSeedResult,
  c: (typeof DEMO_CASES)[number],
  index: number,
) {
  const requesterId = r.users[c.requester];
  const requesterFacility = DEMO_USERS.find((u) => u.email === c.requester)!.facility!;
  const coordinator =
    c.target === 'BV-TW-B' ? 'coordinator@central-b.demo' : 'coordinator@central-a.demo';
  const status = c.path[c.path.length - 1];
  const createdAt = new Date(Date.now() - (96 - index * 6) * HOUR);
  const submittedAt = c.path.includes('submitted') ? new Date(createdAt.getTime() + HOUR) : null;
  const [row] = await m.query(
    `INSERT INTO consultations (patient_id, requesting_facility_id, requester_id, target_facility_id, specialty, urgency,
       summary, question, status, status_reason, submitted_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now()) RETURNING id`,
    [
      r.patients[c.patient],
      r.facilities[requesterFacility],
      requesterId,
      r.facilities[c.target],
      c.specialty,
      c.urgency,
      c.summary,
      c.question,
      status,
      c.reason ?? null,
      submittedAt,
      createdAt,
    ],
  );
  const id: string = row.id;
  let at = createdAt.getTime();
  for (let k = 0; k < c.path.length; k++) {
    const to = c.path[k];
    const actor = ['accepted', 'declined', 'scheduled'].includes(to)
      ? r.users[coordinator]
      : requesterId;
    await m.query(
      `INSERT INTO consultation_transitions (consultation_id, from_status, to_status, actor_id, reason, at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        k === 0 ? null : c.path[k - 1],
        to,
        actor,
        ['declined', 'cancelled'].includes(to) ? c.reason : null,
        new Date(at),
      ],
    );
    at += HOUR;
  }
  // A closed case records when it closed: what an invitation grants ends some time after that.
  if (isFinalStatus(status))
    await m.query(`UPDATE consultations SET closed_at = $2 WHERE id = $1`, [
      id,
      new Date(at - HOUR),
    ]);
  if (c.sessionAtHours !== undefined)
    await seedSession(m, r, id, c, requesterFacility, coordinator);
  return id;
}

async function seedSession(
  m: EntityManager,
  r: DemoSeedResult,
  consultationId: string,
  c: (typeof DEMO_CASES)[number],
  requesterFacility: string,
  coordinator: string,
) {
  const startsAt = new Date(Date.now() + c.sessionAtHours! * HOUR);
  const endsAt = new Date(startsAt.getTime() + (c.sessionHours ?? 1) * HOUR);
  // Session states: SESSION_STATUSES of libs/shared.
  const status = c.path.includes('completed')
    ? 'ended'
    : c.path.includes('in_progress')
      ? 'in_progress'
      : 'scheduled';
  const [s] = await m.query(
    `INSERT INTO sessions (starts_at, ends_at, status, title, created_by, ended_at, end_reason, sfu_notified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $6) RETURNING id`,
    [
      startsAt,
      endsAt,
      status,
      `Hội chẩn ${c.specialty}`,
      r.users[coordinator],
      status === 'ended' ? endsAt : null,
      status === 'ended' ? 'ended_after_schedule' : null,
    ],
  );
  const people = [
    coordinator,
    'specialist1@central-a.demo',
    'specialist2@central-a.demo',
    c.requester,
  ].map((e) => r.users[e]);
  await m.query(`INSERT INTO session_consultations (session_id, consultation_id) VALUES ($1, $2)`, [
    s.id,
    consultationId,
  ]);
  for (const u of people)
    await m.query(`INSERT INTO session_participants (session_id, user_id) VALUES ($1, $2)`, [
      s.id,
      u,
    ]);
  for (const f of [c.target, requesterFacility]) {
    await m.query(`INSERT INTO session_sites (session_id, facility_id) VALUES ($1, $2)`, [
      s.id,
      r.facilities[f],
    ]);
  }
  if (status === 'scheduled') return;
  for (const u of people) {
    await m.query(
      `INSERT INTO attendance (session_id, user_id, joined_at, left_at) VALUES ($1, $2, $3, $4)`,
      [s.id, u, new Date(startsAt.getTime() + 60_000), status === 'ended' ? endsAt : null],
    );
  }
  if (status !== 'ended') return;
  const chair = r.users['specialist1@central-a.demo'];
  // The same snapshot shape the sign endpoint freezes from attendance (PresentParticipant).
  const participants = [
    coordinator,
    'specialist1@central-a.demo',
    'specialist2@central-a.demo',
    c.requester,
  ].map((email) => {
    const u = DEMO_USERS.find((d) => d.email === email)!;
    const facility = DEMO_FACILITIES.find((f) => f.code === u.facility)!;
    return {
      userId: r.users[email],
      fullName: u.fullName,
      roles: u.roles,
      licenseNumber: u.licenseNumber ?? null,
      facilityId: r.facilities[facility.code],
      facilityName: facility.name,
      joinedAt: new Date(startsAt.getTime() + 60_000).toISOString(),
      leftAt: endsAt.toISOString(),
    };
  });
  await m.query(
    `INSERT INTO minutes (consultation_id, version, status, summary, opinions, conclusion, recommendations, chair_id,
       secretary_id, session_id, participants, created_by, signed_at, signed_by, diagnoses)
     VALUES ($1, 1, 'signed', $2, $3, $4, $5, $6, $7, $8, $9, $6, $10, $6, $11)`,
    [
      consultationId,
      c.summary,
      'TS.BS. Lê Thị Thu Hà: tổn thương xơ hóa cũ đỉnh phổi phải, không thay đổi so với phim trước.',
      'Di chứng lao phổi cũ, hiện không có dấu hiệu tiến triển.',
      'Theo dõi định kỳ 6 tháng tại Trung tâm Y tế huyện; chụp lại X-quang nếu có triệu chứng mới.',
      chair,
      r.users['coordinator@central-a.demo'],
      s.id,
      JSON.stringify(participants),
      endsAt,
      // Coded as the demo catalogue names it (icd10/demo-catalogue.seed.ts).
      JSON.stringify([
        { code: 'B90.9', name: 'Di chứng lao hô hấp và lao không xác định', primary: true },
      ]),
    ],
  );
}
