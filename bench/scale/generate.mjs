// One year of a national network, generated inside PostgreSQL with generate_series on the API's
// real schema (after its migrations). Ids are deterministic (md5 of a kind and an index, cast to
// uuid), so relations are arithmetic instead of lookups, and a run is reproducible.
//
// Full scale (factor 1): 50 central + 250 provincial + 1,200 district hospitals (1,500 facilities),
// 12,000 commune stations, 500,000 requests, 400,000 patients, 2,000,000 attachments' metadata,
// 5,000,000 audit rows, sessions for every scheduled/in-progress/completed request. A factor < 1
// scales every count alike, so per-facility volumes (what the triage queue and patient search
// see) stay those of the full network; national aggregates shrink with the factor.

export function plan(factor) {
  const n = (x, min = 1) => Math.max(min, Math.round(x * factor));
  const c = {
    central: n(50, 2),
    provincial: n(250, 2),
    district: n(1200, 2),
    commune: n(12000, 2),
  };
  c.facilities = c.central + c.provincial + c.district + c.commune;
  c.requests = n(500_000, 100);
  c.patients = Math.round(c.requests * 0.8);
  c.attachmentsPerRequest = 4;
  c.auditPerRequest = 10;
  return c;
}

const VN_FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const VN_MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Thu', 'Xuân'];
const VN_GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Minh',
  'Nam',
  'Nga',
  'Phong',
  'Phúc',
  'Quang',
  'Sơn',
  'Thảo',
  'Trang',
  'Tuấn',
  'Việt',
  'Yến',
];
const PROVINCES = [
  'Hà Nội',
  'TP. Hồ Chí Minh',
  'Hải Phòng',
  'Đà Nẵng',
  'Cần Thơ',
  'Thanh Hóa',
  'Nghệ An',
  'Lào Cai',
  'Điện Biên',
  'Sơn La',
  'Hà Giang',
  'Quảng Nam',
  'Gia Lai',
  'Đắk Lắk',
  'An Giang',
  'Cà Mau',
];
export const SPECIALTIES = [
  'respiratory',
  'cardiology',
  'radiology',
  'oncology',
  'pediatrics',
  'obstetrics',
  'neurology',
  'infectious_disease',
];
export const NAME_PARTS = { VN_FAMILY, VN_MIDDLE, VN_GIVEN };

const arr = (xs) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`;

/** Ordered SQL steps: [label, sql]. */
export function steps(c) {
  const bC = 0,
    bP = c.central,
    bD = c.central + c.provincial,
    bK = c.central + c.provincial + c.district;
  // Users per facility: central 20 (1 coordinator, 15 specialists, 4 requesters), provincial 8
  // (1 coordinator, 4 specialists, 3 requesters), district 4 (3 requesters, 1 specialist), commune 2.
  const h = (x) => `(hashint4(${x}) & 2147483647)`;
  return [
    [
      'helpers',
      `
      CREATE SCHEMA bench_gen;
      CREATE FUNCTION bench_gen.fid(i int) RETURNS uuid IMMUTABLE LANGUAGE sql AS $$ SELECT (overlay(overlay(md5('fac' || i) placing '4' from 13) placing '8' from 17))::uuid $$;
      CREATE FUNCTION bench_gen.uid(i int, j int) RETURNS uuid IMMUTABLE LANGUAGE sql AS $$ SELECT (overlay(overlay(md5('usr' || i || '-' || j) placing '4' from 13) placing '8' from 17))::uuid $$;
      CREATE FUNCTION bench_gen.level(i int) RETURNS text IMMUTABLE LANGUAGE sql AS $$
        SELECT CASE WHEN i <= ${bP} THEN 'central' WHEN i <= ${bD} THEN 'provincial' WHEN i <= ${bK} THEN 'district' ELSE 'commune' END $$;
      CREATE FUNCTION bench_gen.users_of(i int) RETURNS int IMMUTABLE LANGUAGE sql AS $$
        SELECT CASE bench_gen.level(i) WHEN 'central' THEN 20 WHEN 'provincial' THEN 8 WHEN 'district' THEN 4 ELSE 2 END $$;
      CREATE FUNCTION bench_gen.roles_of(i int, j int) RETURNS text[] IMMUTABLE LANGUAGE sql AS $$
        SELECT CASE bench_gen.level(i)
          WHEN 'central' THEN CASE WHEN j = 1 THEN ARRAY['coordinator'] WHEN j <= 16 THEN ARRAY['specialist'] ELSE ARRAY['requester'] END
          WHEN 'provincial' THEN CASE WHEN j = 1 THEN ARRAY['coordinator'] WHEN j <= 5 THEN ARRAY['specialist'] ELSE ARRAY['requester'] END
          WHEN 'district' THEN CASE WHEN j <= 3 THEN ARRAY['requester'] ELSE ARRAY['specialist'] END
          ELSE ARRAY['requester'] END $$;
      -- A requester of facility i (seed picks which one).
      CREATE FUNCTION bench_gen.requester(i int, seed int) RETURNS uuid IMMUTABLE LANGUAGE sql AS $$
        SELECT bench_gen.uid(i, CASE bench_gen.level(i) WHEN 'provincial' THEN 6 + seed % 3 WHEN 'district' THEN 1 + seed % 3
          WHEN 'central' THEN 17 + seed % 4 ELSE 1 + seed % 2 END) $$;
      -- A specialist of facility i.
      CREATE FUNCTION bench_gen.specialist(i int, seed int) RETURNS uuid IMMUTABLE LANGUAGE sql AS $$
        SELECT bench_gen.uid(i, CASE bench_gen.level(i) WHEN 'central' THEN 2 + seed % 15 WHEN 'provincial' THEN 2 + seed % 4 ELSE 4 END) $$;
      -- The facility that registered patient j: 50 % communes, 35 % districts, 15 % provincial.
      CREATE FUNCTION bench_gen.patient_facility(j int) RETURNS int IMMUTABLE LANGUAGE sql AS $$
        SELECT CASE WHEN ${h('j')} % 100 < 50 THEN ${bK + 1} + ${h('j + 7')} % ${c.commune}
                    WHEN ${h('j')} % 100 < 85 THEN ${bD + 1} + ${h('j + 7')} % ${c.district}
                    ELSE ${bP + 1} + ${h('j + 7')} % ${c.provincial} END $$;
      -- Where facility i sends a request (seed decides between its two supporters).
      CREATE FUNCTION bench_gen.target(i int, seed int) RETURNS int IMMUTABLE LANGUAGE sql AS $$
        SELECT CASE bench_gen.level(i)
          WHEN 'commune' THEN CASE WHEN seed % 10 < 6 THEN ${bD + 1} + (i - ${bK + 1}) % ${c.district}
                                   ELSE ${bC + 1} + ((i - ${bK + 1}) % ${c.district}) % ${c.central} END
          WHEN 'district' THEN CASE WHEN seed % 2 = 0 THEN ${bP + 1} + (i - ${bD + 1}) % ${c.provincial}
                                    ELSE ${bC + 1} + (i - ${bD + 1}) % ${c.central} END
          ELSE ${bC + 1} + (i - ${bP + 1}) % ${c.central} END $$;`,
    ],
    [
      'facilities',
      `
      INSERT INTO facilities (id, code, name, province, level)
      SELECT bench_gen.fid(i), 'F' || lpad(i::text, 5, '0'),
             CASE bench_gen.level(i) WHEN 'central' THEN 'Bệnh viện Trung ương ' WHEN 'provincial' THEN 'Bệnh viện tỉnh '
                  WHEN 'district' THEN 'Trung tâm Y tế huyện ' ELSE 'Trạm Y tế xã ' END || i,
             (${arr(PROVINCES)})[1 + i % ${PROVINCES.length}], bench_gen.level(i)
        FROM generate_series(1, ${c.facilities}) i`,
    ],
    [
      'support_links',
      `
      INSERT INTO support_links (supporter_id, supported_id, kind)
      SELECT bench_gen.fid(${bC + 1} + (i - ${bP + 1}) % ${c.central}), bench_gen.fid(i), 'mentoring' FROM generate_series(${bP + 1}, ${bD}) i
      UNION ALL
      SELECT bench_gen.fid(${bP + 1} + (i - ${bD + 1}) % ${c.provincial}), bench_gen.fid(i), 'mentoring' FROM generate_series(${bD + 1}, ${bK}) i
      UNION ALL
      SELECT bench_gen.fid(${bC + 1} + (i - ${bD + 1}) % ${c.central}), bench_gen.fid(i), 'satellite' FROM generate_series(${bD + 1}, ${bK}) i
      UNION ALL
      SELECT bench_gen.fid(${bD + 1} + (i - ${bK + 1}) % ${c.district}), bench_gen.fid(i), 'mentoring' FROM generate_series(${bK + 1}, ${c.facilities}) i
      UNION ALL
      SELECT bench_gen.fid(${bC + 1} + ((i - ${bK + 1}) % ${c.district}) % ${c.central}), bench_gen.fid(i), 'mentoring' FROM generate_series(${bK + 1}, ${c.facilities}) i`,
    ],
    [
      'users',
      `
      INSERT INTO users (id, email, password_hash, full_name, roles, facility_id, specialty, license_number)
      SELECT bench_gen.uid(i, j), 'u' || i || '-' || j || '@bench.caunoi', 'bench-no-login',
             'Bác sĩ ' || i || '-' || j, bench_gen.roles_of(i, j), bench_gen.fid(i),
             CASE WHEN 'specialist' = ANY (bench_gen.roles_of(i, j)) THEN (${arr(SPECIALTIES)})[1 + j % ${SPECIALTIES.length}] END,
             'CCHN-' || i || '-' || j
        FROM generate_series(1, ${c.facilities}) i, LATERAL generate_series(1, bench_gen.users_of(i)) j`,
    ],
    [
      'patients',
      `
      INSERT INTO patients (id, facility_id, full_name, date_of_birth, sex, national_id, insurance_number, created_by, created_at)
      SELECT (overlay(overlay(md5('pat' || j) placing '4' from 13) placing '8' from 17))::uuid, bench_gen.fid(f), 
             (${arr(VN_FAMILY)})[1 + ${h('j + 1')} % ${VN_FAMILY.length}] || ' ' || (${arr(VN_MIDDLE)})[1 + ${h('j + 2')} % ${VN_MIDDLE.length}]
               || ' ' || (${arr(VN_GIVEN)})[1 + ${h('j + 3')} % ${VN_GIVEN.length}],
             date '1940-01-01' + ${h('j + 4')} % 30000, (ARRAY['male','female','other'])[1 + (${h('j + 5')} % 100 > 48)::int + (${h('j + 5')} % 100 > 98)::int],
             CASE WHEN ${h('j + 6')} % 10 < 8 THEN lpad((1000000000 + j)::text, 12, '0') END,
             CASE WHEN ${h('j + 6')} % 10 < 9 THEN 'DN' || lpad(j::text, 13, '0') END,
             bench_gen.requester(f, j), timestamptz '2025-01-01 00:00+07' + (j::float8 / ${c.patients}) * interval '365 days'
        FROM (SELECT j, bench_gen.patient_facility(j) AS f FROM generate_series(1, ${c.patients}) j) s`,
    ],
    [
      'consultations',
      `
      INSERT INTO consultations (id, patient_id, requesting_facility_id, requester_id, target_facility_id, specialty, urgency,
                                 summary, question, status, status_reason, submitted_at, created_at, updated_at)
      SELECT (overlay(overlay(md5('con' || i) placing '4' from 13) placing '8' from 17))::uuid, (overlay(overlay(md5('pat' || j) placing '4' from 13) placing '8' from 17))::uuid, bench_gen.fid(f), bench_gen.requester(f, i), bench_gen.fid(bench_gen.target(f, i)),
             (${arr(SPECIALTIES)})[1 + ${h('i + 11')} % ${SPECIALTIES.length}],
             CASE WHEN ${h('i + 12')} % 100 < 5 THEN 'emergency' WHEN ${h('i + 12')} % 100 < 25 THEN 'urgent' ELSE 'routine' END,
             'Bệnh nhân ho kéo dài, sốt nhẹ, X-quang ngực có đám mờ (ca ' || i || ')',
             'Xin ý kiến chẩn đoán và hướng điều trị',
             st, CASE WHEN st IN ('declined','cancelled') THEN 'Lý do ' || i END,
             CASE WHEN st <> 'draft' THEN t + interval '10 minutes' END, t, t + interval '1 day'
        FROM (SELECT i, j, bench_gen.patient_facility(j) AS f,
                     timestamptz '2025-01-01 00:00+07' + ((i - 1)::float8 / ${c.requests}) * interval '365 days' AS t,
                     CASE WHEN ${h('i + 13')} % 1000 < 20 THEN 'draft' WHEN ${h('i + 13')} % 1000 < 70 THEN 'submitted'
                          WHEN ${h('i + 13')} % 1000 < 100 THEN 'accepted' WHEN ${h('i + 13')} % 1000 < 150 THEN 'declined'
                          WHEN ${h('i + 13')} % 1000 < 200 THEN 'scheduled' WHEN ${h('i + 13')} % 1000 < 210 THEN 'in_progress'
                          WHEN ${h('i + 13')} % 1000 < 290 THEN 'cancelled' ELSE 'completed' END AS st
                FROM (SELECT i, CASE WHEN i <= ${c.patients} THEN i ELSE 1 + ${h('i')} % ${c.patients} END AS j
                        FROM generate_series(1, ${c.requests}) i) ij) s`,
    ],
    [
      'sessions',
      `
      INSERT INTO sessions (id, starts_at, ends_at, status, title, created_by)
      SELECT (overlay(overlay(md5('ses' || c.id) placing '4' from 13) placing '8' from 17))::uuid, s0, s0 + interval '45 minutes',
             CASE c.status WHEN 'scheduled' THEN 'scheduled' WHEN 'in_progress' THEN 'in_progress' ELSE 'ended' END,
             'Hội chẩn ' || c.specialty, NULL
        FROM (SELECT c.*, c.submitted_at + CASE c.urgency WHEN 'emergency' THEN interval '2 hours' WHEN 'urgent' THEN interval '20 hours'
                    ELSE interval '3 days' END + (hashint4(hashtext(c.id::text)) & 255) * interval '5 minutes' AS s0
                FROM consultations c WHERE c.status IN ('scheduled','in_progress','completed')) c;
      INSERT INTO session_consultations (session_id, consultation_id)
      SELECT (overlay(overlay(md5('ses' || c.id) placing '4' from 13) placing '8' from 17))::uuid, c.id FROM consultations c WHERE c.status IN ('scheduled','in_progress','completed');
      INSERT INTO session_sites (session_id, facility_id)
      SELECT (overlay(overlay(md5('ses' || c.id) placing '4' from 13) placing '8' from 17))::uuid, f FROM consultations c, LATERAL (VALUES (c.requesting_facility_id), (c.target_facility_id)) v(f)
       WHERE c.status IN ('scheduled','in_progress','completed');
      INSERT INTO session_participants (session_id, user_id)
      SELECT (overlay(overlay(md5('ses' || c.id) placing '4' from 13) placing '8' from 17))::uuid, u FROM consultations c
        JOIN facilities tf ON tf.id = c.target_facility_id,
        LATERAL (VALUES (c.requester_id), (bench_gen.specialist(substr(tf.code, 2)::int, hashint4(hashtext(c.id::text)) & 1023))) v(u)
       WHERE c.status IN ('scheduled','in_progress','completed')`,
    ],
    [
      'attachments',
      `
      INSERT INTO attachments (consultation_id, sha256, kind, media_type, file_name, size_bytes, metadata, uploaded_by, created_at)
      SELECT c.id, encode(sha256((c.id::text || k)::bytea), 'hex'),
             (ARRAY['dicom','pdf','jpeg','lab_results'])[k], (ARRAY['application/dicom','application/pdf','image/jpeg','application/json'])[k],
             (ARRAY['xquang-nguc.dcm','xet-nghiem.pdf','anh-ton-thuong.jpg','ket-qua.json'])[k],
             (ARRAY[8400000, 350000, 900000, 4000])[k] + (hashint4(k + hashtext(c.id::text)) & 65535),
             CASE k WHEN 1 THEN '{"modality":"CR","bodyPart":"CHEST","rows":2048,"columns":2048}'::jsonb
                    WHEN 2 THEN '{"pages":3}'::jsonb WHEN 3 THEN '{"width":1600,"height":1200}'::jsonb ELSE '{"tests":12}'::jsonb END,
             c.requester_id, c.created_at + k * interval '2 minutes'
        FROM consultations c, generate_series(1, ${c.attachmentsPerRequest}) k`,
    ],
    [
      'audit_events',
      `
      INSERT INTO audit_events (at, actor_id, action, target_type, target_id, patient_id, address, details)
      SELECT c.created_at + k * interval '3 hours', CASE WHEN k % 2 = 0 THEN c.requester_id END,
             (ARRAY['consultation.create','patient.read','attachment.upload','consultation.submit','consultation.read',
                    'attachment.download','session.join','session.leave','minutes.sign','consultation.read'])[k],
             CASE WHEN k IN (3, 6) THEN 'attachment' WHEN k IN (7, 8) THEN 'session' WHEN k = 2 THEN 'patient' ELSE 'consultation' END,
             c.id::text, c.patient_id, '10.' || (k * 17 % 255) || '.' || (hashint4(hashtext(c.id::text)) & 255) || '.1', NULL
        FROM consultations c, generate_series(1, ${c.auditPerRequest}) k`,
    ],
    ['drop helpers', `DROP SCHEMA bench_gen CASCADE`],
    ['vacuum analyze', `VACUUM (ANALYZE)`],
  ];
}
