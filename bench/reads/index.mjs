// Authenticated detail reads (patient, consultation) with their audit rows, against one API
// instance and against two sharing the database (each read audited and committed before its
// answer, rows group-committed), and the same work through the pg driver directly in the same
// run: reads/s, p50/p99 and the ratio API ÷ driver.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freshDatabase } from '../lib/db.mjs';
import { ensureBuilt } from '../lib/build.mjs';
import { startApi } from '../lib/api.mjs';
import { cpuWindow } from '../lib/cpu.mjs';
import { es256KeyPair } from '../lib/keys.mjs';
import { table } from '../lib/results.mjs';
import { round, sleep } from '../lib/stats.mjs';
import { stopProcess } from '../lib/proc.mjs';
import {
  apiRequire,
  cannon,
  CONNECTIONS,
  dist,
  pgDataSource,
  rawLoad,
  rotating,
  wiring,
} from '../lib/load.mjs';

const SIZES = {
  small: { seconds: 3, patients: 200, consultations: 300 },
  default: { seconds: 10, patients: 1000, consultations: 2000 },
  large: { seconds: 30, patients: 20000, consultations: 50000 },
};
const TARGET = { readsPerSecond: 3000, p99Ms: 50 };
const POOL = 10;

async function seed(pool, ids, requesterId, S) {
  await pool.query(
    `INSERT INTO patients (id, facility_id, full_name, date_of_birth, sex, national_id, created_by)
     SELECT (overlay(overlay(md5('rp' || j) placing '4' from 13) placing '8' from 17))::uuid, $1,
            (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng'])[1 + j % 5] || ' Văn Đọc ' || j,
            date '1950-01-01' + j % 20000, 'male', lpad((300000000000 + j)::text, 12, '0'), $2
       FROM generate_series(1, $3::int) j`,
    [ids['TTYT-H1'], requesterId, S.patients],
  );
  await pool.query(
    `INSERT INTO consents (patient_id, kind, granted, recorded_by)
     SELECT (overlay(overlay(md5('rp' || j) placing '4' from 13) placing '8' from 17))::uuid, 'teleconsultation', true, $1
       FROM generate_series(1, $2::int) j`,
    [requesterId, S.patients],
  );
  await pool.query(
    `INSERT INTO consultations (id, patient_id, requesting_facility_id, requester_id, target_facility_id, specialty, urgency, summary, question, status, submitted_at, created_at)
     SELECT (overlay(overlay(md5('rc' || i) placing '4' from 13) placing '8' from 17))::uuid,
            (overlay(overlay(md5('rp' || (1 + i % $4::int)) placing '4' from 13) placing '8' from 17))::uuid,
            $1, $2, $3, 'hô hấp', 'routine', 'Ho kéo dài (' || i || ')', 'Xin ý kiến chẩn đoán', 'submitted',
            now() - i * interval '1 minute', now() - i * interval '1 minute' - interval '5 minutes'
       FROM generate_series(1, $5::int) i`,
    [ids['TTYT-H1'], requesterId, ids['BV-TW-A'], S.patients, S.consultations],
  );
  await pool.query('ANALYZE');
}

export async function run({ size, log, deadline }) {
  const S = SIZES[size];
  ensureBuilt(log);
  const db = await freshDatabase('caunoi_bench_reads', log);
  const pool = new pg.Pool({ connectionString: db.url, max: 20, application_name: 'caunoi-bench' });
  pool.on('error', () => {});
  const apis = [];
  try {
    // Two instances of the same build on the same database, as behind one origin.
    const keys = es256KeyPair();
    // One secret for both: an access token signed by one instance is valid on the other.
    const secret = { AUTH_JWT_SECRET: randomBytes(32).toString('hex') };
    apis.push(await startApi({ databaseUrl: db.url, log, keys, env: secret }));
    apis.push(
      await startApi({ databaseUrl: db.url, log, keys, env: { ...secret, SEED_DEMO: 'false' } }),
    );
    const [a, b] = apis;
    const requester = await a.login('requester@district-1.demo');
    const ids = (
      await pool.query(`SELECT code, id FROM facilities WHERE code IN ('TTYT-H1','BV-TW-A')`)
    ).rows.reduce((m, r) => ({ ...m, [r.code]: r.id }), {});
    await seed(pool, ids, requester.user.id, S);
    const patientIds = (
      await pool.query(`SELECT id FROM patients WHERE facility_id = $1 ORDER BY random()`, [
        ids['TTYT-H1'],
      ])
    ).rows.map((r) => r.id);
    const consultationIds = (
      await pool.query(`SELECT id FROM consultations WHERE status = 'submitted' ORDER BY random()`)
    ).rows.map((r) => r.id);
    log(`data: ${patientIds.length} patients, ${consultationIds.length} requests`);

    const kinds = {
      patient: () => rotating(patientIds.map((id) => `/api/patients/${id}`)),
      consultation: () => rotating(consultationIds.map((id) => `/api/consultations/${id}`)),
    };
    const http = [];
    const measure = async (name, kind, targets) => {
      if (Date.now() > deadline) return http.push({ name, skipped: 'time budget exhausted' });
      await sleep(500);
      const w = cpuWindow(Object.fromEntries(targets.map((t, i) => [`api${i}`, t.child.pid])), {
        postgres: 'postgres',
      });
      const auditBefore = (await pool.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0]
        .n;
      const per = Math.round(CONNECTIONS / targets.length);
      const runs = await Promise.all(
        targets.map((t) =>
          cannon({
            url: t.url,
            token: requester.token,
            connections: per,
            next: kinds[kind](),
            seconds: S.seconds,
          }),
        ),
      );
      const cpu = w.stop();
      const auditAfter = (await pool.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0]
        .n;
      const ok = runs.reduce((s, r) => s + r.ok2xx, 0);
      const row = {
        name,
        instances: targets.length,
        requestsPerSecond: runs.reduce((s, r) => s + r.requestsPerSecond, 0),
        // Per instance p99s; the figure shown is the worse one (a bound, not a merged histogram).
        p50ms: Math.max(...runs.map((r) => r.p50ms)),
        p99ms: Math.max(...runs.map((r) => r.p99ms)),
        non2xx: runs.reduce((s, r) => s + r.non2xx + r.errors, 0),
        ok2xx: ok,
        auditRows: auditAfter - auditBefore,
        runs,
        cpu: {
          apiPct: round(
            targets.reduce((s, _t, i) => s + cpu[`api${i}`], 0),
            0,
          ),
          postgresPct: round(cpu.postgres, 0),
          benchPct: round(cpu.bench ?? 0, 0),
          machinePct: round(cpu.machine, 0),
        },
      };
      http.push(row);
      log(
        `${name}: ${row.requestsPerSecond} req/s, p50 ${row.p50ms} ms, p99 ${row.p99ms} ms, non-2xx ${row.non2xx}, audit rows ${row.auditRows} for ${ok} answers; API ${row.cpu.apiPct} %, PostgreSQL ${row.cpu.postgresPct} %, machine ${row.cpu.machinePct} %`,
      );
    };
    await measure('patient detail, 1 instance', 'patient', [a]);
    await measure('patient detail, 2 instances', 'patient', [a, b]);
    await measure('consultation detail, 1 instance', 'consultation', [a]);
    await measure('consultation detail, 2 instances', 'consultation', [a, b]);

    // ---- the same work through the pg driver directly (the API's compiled services)
    for (const api of apis) await stopProcess(api.child);
    const raw = [];
    const { PatientsService } = apiRequire(dist('patients/patients.service.js'));
    const { ConsultationsService } = apiRequire(dist('consultations/consultations.service.js'));
    const { UsersRepository } = apiRequire(dist('users/users.repository.js'));
    const rawMeasure = async (name, poolSize, work) => {
      if (Date.now() > deadline) return raw.push({ name, skipped: 'time budget exhausted' });
      const p = new pg.Pool({ connectionString: db.url, max: poolSize, options: '-c jit=off' });
      p.on('error', () => {});
      const wire = wiring(pgDataSource(p));
      const users = wire(UsersRepository);
      const reqUser = await users.findById(requester.user.id);
      const actor = { user: reqUser, address: '127.0.0.1' };
      const services = {
        patients: wire(PatientsService),
        consultations: wire(ConsultationsService),
      };
      const job = (k) => work({ users, reqUser, actor, ...services }, k);
      await job(0);
      const w = cpuWindow({ bench: process.pid }, { postgres: 'postgres' });
      const r = await rawLoad(job, S.seconds);
      const cpu = w.stop();
      await p.end();
      raw.push({
        name,
        pool: poolSize,
        ...r,
        cpu: { driverPct: round(cpu.bench, 0), postgresPct: round(cpu.postgres, 0) },
      });
      log(
        `raw ${name}: ${r.requestsPerSecond} ops/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, errors ${r.errors}`,
      );
    };
    const patientWork = async (x, k) => {
      await x.users.findById(x.reqUser.id);
      await x.patients.get(x.actor, patientIds[k % patientIds.length]);
    };
    const consultationWork = async (x, k) => {
      await x.users.findById(x.reqUser.id);
      await x.consultations.get(x.actor, consultationIds[k % consultationIds.length]);
    };
    await rawMeasure(`patient detail, pool of ${POOL}`, POOL, patientWork);
    await rawMeasure(`patient detail, pool of ${2 * POOL}`, 2 * POOL, patientWork);
    await rawMeasure(`consultation detail, pool of ${POOL}`, POOL, consultationWork);
    await rawMeasure(`consultation detail, pool of ${2 * POOL}`, 2 * POOL, consultationWork);

    const find = (arr, name) => arr.find((r) => r.name === name && !r.skipped);
    const ratio = (x, y) => (x && y ? round(x.requestsPerSecond / y.requestsPerSecond, 2) : null);
    const ratios = [];
    for (const kind of ['patient', 'consultation']) {
      const driver = find(raw, `${kind} detail, pool of ${2 * POOL}`);
      const driver10 = find(raw, `${kind} detail, pool of ${POOL}`);
      ratios.push(
        {
          what: `${kind} detail: 1 instance ÷ driver (pool ${POOL})`,
          value: ratio(find(http, `${kind} detail, 1 instance`), driver10),
        },
        {
          what: `${kind} detail: 2 instances ÷ driver (pool ${2 * POOL})`,
          value: ratio(find(http, `${kind} detail, 2 instances`), driver),
        },
        {
          what: `${kind} detail: 2 instances ÷ 1 instance`,
          value: ratio(
            find(http, `${kind} detail, 2 instances`),
            find(http, `${kind} detail, 1 instance`),
          ),
        },
      );
    }
    const markdown = [
      `${CONNECTIONS} concurrent connections (autocannon, keep-alive; split evenly between the instances), ${S.seconds} s per scenario; API = \`apps/api/dist/main.js\` (LOG_LEVEL=info, pool of ${POOL} per instance), audit rows group-committed; PostgreSQL ${db.version} (${db.kind}) on the same 2 cores; ${S.patients} patients, ${S.consultations} requests of one district. Targets: ≥ ${TARGET.readsPerSecond} reads/s, p99 ≤ ${TARGET.p99Ms} ms. With two instances the p99 shown is the worse of the two instances'.`,
      '',
      table([
        [
          'scenario (HTTP)',
          'req/s',
          'p50 ms',
          'p99 ms',
          'non-2xx',
          'audit rows / 2xx',
          'API CPU %',
          'PostgreSQL CPU %',
          'machine CPU %',
        ],
        ...http.map((r) =>
          r.skipped
            ? [r.name, r.skipped, null, null, null, null, null, null, null]
            : [
                r.name,
                r.requestsPerSecond,
                r.p50ms,
                r.p99ms,
                r.non2xx,
                `${r.auditRows} / ${r.ok2xx}`,
                r.cpu.apiPct,
                r.cpu.postgresPct,
                r.cpu.machinePct,
              ],
        ),
      ]),
      '',
      "Same work through the pg driver directly (the API's compiled services on a pg pool: user lookup, access check, read, audit row group-committed; no HTTP, Nest or auth guard; 50 concurrent loops):",
      '',
      table([
        [
          'scenario (pg driver)',
          'ops/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'driver CPU %',
          'PostgreSQL CPU %',
        ],
        ...raw.map((r) =>
          r.skipped
            ? [r.name, r.skipped, null, null, null, null, null]
            : [
                r.name,
                r.requestsPerSecond,
                r.p50ms,
                r.p99ms,
                r.errors,
                r.cpu.driverPct,
                r.cpu.postgresPct,
              ],
        ),
      ]),
      '',
      table([['ratio (same run)', 'value'], ...ratios.map((r) => [r.what, r.value])]),
    ].join('\n');
    const best = http
      .filter((r) => !r.skipped)
      .sort((x, y) => y.requestsPerSecond - x.requestsPerSecond)[0];
    return {
      data: {
        connections: CONNECTIONS,
        size: S,
        targets: TARGET,
        postgres: { version: db.version, kind: db.kind },
        http,
        pgDriver: raw,
        ratios,
      },
      markdown,
      headline: `best ${best?.requestsPerSecond} reads/s (${best?.name}, p99 ${best?.p99ms} ms)`,
    };
  } finally {
    for (const api of apis) {
      await stopProcess(api.child);
      api.cleanup();
    }
    await pool.end();
    await db.drop();
  }
}
