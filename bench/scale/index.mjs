// National scale: generate one year of a national network on the API's real schema and time the
// queries the API really runs (its compiled repositories, called with a recording connection),
// with EXPLAIN (ANALYZE, BUFFERS) plans of every statement.
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { freshDatabase } from '../lib/db.mjs';
import { ensureBuilt } from '../lib/build.mjs';
import { ROOT, table } from '../lib/results.mjs';
import { percentile, round } from '../lib/stats.mjs';
import { plan, steps, NAME_PARTS } from './generate.mjs';

const FACTORS = { small: 0.01, default: 0.1, large: 1 };
const TARGET_P95_MS = 100;

const apiRequire = createRequire(path.join(ROOT, 'apps/api/package.json'));
apiRequire('reflect-metadata'); // before any compiled class is loaded, so Nest metadata is recorded
const dist = (p) => path.join(ROOT, 'apps/api/dist', p);

/** Run the API's migrations (its compiled data source options) on `url`. */
export async function migrate(url) {
  const { DataSource } = apiRequire('typeorm');
  const { dataSourceOptions } = apiRequire(dist('database/data-source.options.js'));
  const ds = new DataSource({ ...dataSourceOptions(url), migrationsRun: false });
  await ds.initialize();
  const done = await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  return done.map((m) => m.name);
}

/** A DataSource stand-in for the repositories: runs on a pg pool and records every statement. */
function recordingDb(pool) {
  const statements = [];
  return {
    statements,
    async query(sql, params = []) {
      statements.push({ sql, params });
      const r = await pool.query(sql, params);
      return r.rows;
    },
  };
}

const fid = (i) =>
  `(overlay(overlay(md5('fac' || ${i}) placing '4' from 13) placing '8' from 17))::uuid`;

export async function run({ size, log, deadline }) {
  const factor = FACTORS[size];
  const c = plan(factor);
  ensureBuilt(log);
  const db = await freshDatabase('caunoi_bench_scale', log);
  log(
    `database ${db.name} on PostgreSQL ${db.version} (${db.kind}); factor ${factor}: ${JSON.stringify(c)}`,
  );
  const pool = new pg.Pool({
    connectionString: db.url,
    max: 2,
    application_name: 'caunoi-bench-scale',
  });
  pool.on('error', () => {});
  // The same queries on connections with PostgreSQL's JIT off: the server default (jit = on,
  // jit_above_cost 100000) compiles any plan whose estimated cost passes the threshold, and the
  // access-scope subplans inflate estimates; the difference is reported side by side.
  const noJit = new pg.Pool({
    connectionString: db.url,
    max: 2,
    application_name: 'caunoi-bench-scale',
    options: '-c jit=off',
  });
  noJit.on('error', () => {});
  try {
    const migrations = await migrate(db.url);
    log(`migrations: ${migrations.join(', ')}`);

    // ---- generate
    const generation = [];
    const g0 = Date.now();
    for (const [label, sql] of steps(c)) {
      const t0 = Date.now();
      await pool.query(sql);
      generation.push({ step: label, seconds: round((Date.now() - t0) / 1000, 1) });
      log(`generated ${label} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (Date.now() > deadline) throw new Error('time budget exhausted during generation');
    }
    const generationSeconds = round((Date.now() - g0) / 1000, 1);
    const counts = (
      await pool.query(`SELECT relname AS table, n_live_tup::bigint AS rows FROM pg_stat_user_tables
         WHERE relname IN ('facilities','users','patients','consultations','attachments','audit_events','sessions','session_sites','session_participants','support_links')
         ORDER BY relname`)
    ).rows.map((r) => ({ table: r.table, rows: Number(r.rows) }));
    const dbSize = (
      await pool.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`)
    ).rows[0].s;

    // ---- the API's repositories
    const { ConsultationsRepository } = apiRequire(
      dist('consultations/consultations.repository.js'),
    );
    const { PatientsRepository } = apiRequire(dist('patients/patients.repository.js'));
    const { ReportsRepository } = apiRequire(dist('reports/reports.repository.js'));

    const users = async (sql) =>
      (await pool.query(sql)).rows.map((r) => ({
        id: r.id,
        email: r.email,
        fullName: r.full_name,
        roles: r.roles,
        facilityId: r.facility_id,
        specialty: null,
        licenseNumber: null,
      }));
    const bP = c.central,
      bD = c.central + c.provincial,
      bK = bD + c.district;
    // Coordinators of the busiest targets (central and provincial hospitals), requesters of districts
    // and communes, specialists of central hospitals, and the admin view for national reports.
    const coordinators =
      await users(`SELECT u.* FROM users u JOIN facilities f ON f.id = u.facility_id
       WHERE 'coordinator' = ANY (u.roles) AND f.level IN ('central','provincial') ORDER BY f.level, f.code LIMIT 40`);
    const requesters = await users(`SELECT u.* FROM users u WHERE u.facility_id IN (
         SELECT ${fid('i')} FROM generate_series(${bD + 1}, ${c.facilities}, greatest(1, ${Math.floor((c.facilities - bD) / 40)})) i) AND 'requester' = ANY (u.roles) LIMIT 40`);
    const specialists =
      await users(`SELECT u.* FROM users u JOIN facilities f ON f.id = u.facility_id
       WHERE 'specialist' = ANY (u.roles) AND f.level = 'central' ORDER BY u.email LIMIT 40`);
    void bP;
    void bK;
    const names = NAME_PARTS.VN_FAMILY.flatMap((f) =>
      NAME_PARTS.VN_MIDDLE.slice(0, 3).map((m) => `${f} ${m}`),
    );
    const nationalIds = Array.from({ length: 40 }, (_, k) =>
      String(1000000000 + 1 + ((k * 7919) % c.patients)).padStart(12, '0'),
    );
    const year = { from: '2025-01-01T00:00:00+07:00', to: '2026-01-01T00:00:00+07:00' };

    const cases = [
      {
        name: 'triage queue (coordinator, submitted, first page of 20)',
        group: 'triage',
        call: (k, dbx) =>
          new ConsultationsRepository(dbx).list(coordinators[k % coordinators.length], {
            status: 'submitted',
            role: 'target',
            limit: 20,
            offset: 0,
          }),
      },
      {
        name: 'triage queue (coordinator, all states, first page of 20)',
        group: 'triage',
        call: (k, dbx) =>
          new ConsultationsRepository(dbx).list(coordinators[k % coordinators.length], {
            limit: 20,
            offset: 0,
          }),
      },
      {
        name: 'patient search by name (requester of a district/commune)',
        group: 'patients',
        call: (k, dbx) =>
          new PatientsRepository(dbx).search(
            requesters[k % requesters.length],
            names[k % names.length],
            20,
            0,
          ),
      },
      {
        name: 'patient search by name (specialist of a central hospital)',
        group: 'patients',
        call: (k, dbx) =>
          new PatientsRepository(dbx).search(
            specialists[k % specialists.length],
            names[k % names.length],
            20,
            0,
          ),
      },
      {
        name: 'patient search by national ID (specialist)',
        group: 'patients',
        call: (k, dbx) =>
          new PatientsRepository(dbx).search(
            specialists[k % specialists.length],
            nationalIds[k % nationalIds.length],
            20,
            0,
          ),
      },
      {
        name: 'monthly report: sessions per facility and month, national year (admin)',
        group: 'reports',
        call: (k, dbx) =>
          new ReportsRepository(dbx).sessionsPerFacilityAndMonth({ ...year, facilityId: null }),
        runs: 10,
      },
      {
        name: 'monthly report: sessions per month, one central hospital (coordinator)',
        group: 'reports',
        call: (k, dbx) =>
          new ReportsRepository(dbx).sessionsPerFacilityAndMonth({
            ...year,
            facilityId: coordinators[k % coordinators.length].facilityId,
          }),
      },
      {
        name: 'report: time from request to session by urgency, national year (admin)',
        group: 'reports',
        call: (k, dbx) =>
          new ReportsRepository(dbx).timeToSessionByUrgency({ ...year, facilityId: null }),
        runs: 10,
      },
    ];

    const RUNS = size === 'small' ? 10 : 30;
    const results = [];
    for (const q of cases) {
      if (Date.now() > deadline) {
        results.push({ name: q.name, group: q.group, skipped: 'time budget exhausted' });
        continue;
      }
      const runs = Math.min(q.runs ?? RUNS, RUNS);
      const warm = recordingDb(pool);
      await q.call(0, warm); // warm-up (and the statements used for the plan)
      const times = [];
      let rows = null;
      for (let k = 0; k < runs; k++) {
        const dbx = recordingDb(pool);
        const t0 = process.hrtime.bigint();
        const out = await q.call(k, dbx);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (k === 0)
          rows = Array.isArray(out)
            ? out.length
            : Array.isArray(out?.items)
              ? `${out.items.length} of ${out.total}`
              : null;
      }
      const timesNoJit = [];
      await q.call(0, recordingDb(noJit));
      for (let k = 0; k < runs; k++) {
        const t0 = process.hrtime.bigint();
        await q.call(k, recordingDb(noJit));
        timesNoJit.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const plans = [];
      for (const st of warm.statements) {
        const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) ${st.sql}`, st.params);
        plans.push({
          sql: st.sql.replace(/\s+/g, ' ').trim(),
          plan: r.rows.map((x) => x['QUERY PLAN']).join('\n'),
        });
      }
      const res = {
        name: q.name,
        group: q.group,
        runs,
        rows,
        p50ms: round(percentile(times, 50), 2),
        p95ms: round(percentile(times, 95), 2),
        maxMs: round(Math.max(...times), 2),
        jitOff: {
          p50ms: round(percentile(timesNoJit, 50), 2),
          p95ms: round(percentile(timesNoJit, 95), 2),
        },
        jitMs: plans
          .map((p) => Number(/Timing:.*Total ([\d.]+) ms/.exec(p.plan)?.[1] ?? 0))
          .reduce((a, b) => a + b, 0),
        statementsPerCall: warm.statements.length,
        plans,
      };
      res.meetsTarget = res.p95ms <= TARGET_P95_MS;
      results.push(res);
      log(
        `${q.name}: p50 ${res.p50ms} ms, p95 ${res.p95ms} ms; jit off: p50 ${res.jitOff.p50ms} ms, p95 ${res.jitOff.p95ms} ms (${runs} runs, rows ${rows}; JIT in the plan ${round(res.jitMs, 0)} ms)`,
      );
    }

    const planSummary = (r) => {
      const first = r.plans?.[0]?.plan ?? '';
      const scans = [
        ...new Set(
          [
            ...first.matchAll(
              /(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan) (?:using (\S+) )?on (\S+)/g,
            ),
          ].map((m) => `${m[1]}${m[2] ? ' ' + m[2] : ''} on ${m[3]}`),
        ),
      ];
      return scans.slice(0, 4).join('; ');
    };
    const markdown = [
      `Scale factor **${factor}** (${size}${factor < 1 ? `; \`--size large\` = full national year` : ''}): ${c.central} central + ${c.provincial} provincial + ${c.district} district hospitals, ${c.commune} commune stations, ${c.requests.toLocaleString('en')} requests, ${c.patients.toLocaleString('en')} patients, ${(c.requests * c.attachmentsPerRequest).toLocaleString('en')} attachments, ${(c.requests * c.auditPerRequest).toLocaleString('en')} audit rows. Per-facility volumes are those of the full network at any factor.`,
      '',
      `PostgreSQL ${db.version} (${db.kind}); generated in ${generationSeconds} s; database ${dbSize}. Each query is the API's compiled repository method (all its statements, e.g. page + count), ${RUNS} runs with varying users/terms after one warm-up. Target p95 ≤ ${TARGET_P95_MS} ms.`,
      '',
      table([
        [
          'query',
          'p50 ms',
          'p95 ms',
          'target',
          'JIT compile in plan, ms',
          'p50 / p95 ms with jit=off',
          'rows (1st run)',
          'plan (first statement)',
        ],
        ...results.map((r) =>
          r.skipped
            ? [r.name, null, null, r.skipped, null, null, null, null]
            : [
                r.name,
                r.p50ms,
                r.p95ms,
                r.meetsTarget ? 'met' : '**missed**',
                round(r.jitMs, 0),
                `${r.jitOff.p50ms} / ${r.jitOff.p95ms}`,
                r.rows,
                planSummary(r),
              ],
        ),
      ]),
      '',
      'Generation steps: ' + generation.map((g) => `${g.step} ${g.seconds} s`).join(', '),
      '',
      'Full EXPLAIN (ANALYZE, BUFFERS) plans are in the JSON file (`queries[].plans`).',
    ].join('\n');
    const worst = results.filter((r) => !r.skipped).sort((a, b) => b.p95ms - a.p95ms)[0];
    return {
      data: {
        factor,
        plan: c,
        postgres: { version: db.version, kind: db.kind },
        migrations,
        generation,
        generationSeconds,
        counts,
        databaseSize: dbSize,
        targetP95Ms: TARGET_P95_MS,
        queries: results,
      },
      markdown,
      headline: `factor ${factor}: worst p95 ${worst?.p95ms} ms (${worst?.name}); ${results.filter((r) => r.meetsTarget).length}/${results.length} queries ≤ ${TARGET_P95_MS} ms`,
    };
  } finally {
    await pool.end();
    await noJit.end();
    await db.drop();
  }
}
