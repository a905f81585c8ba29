// API throughput: authenticated reads (list, detail, patient search), consultation creation and
// session booking under 50 concurrent clients (autocannon against the real built API), the same
// work through the pg driver directly (the API's compiled services/repositories on a plain pg
// pool, no HTTP/Nest/auth layer) for the ratio, and the booking race at 100 and 1,000 attempts.
// Over 350 lines on purpose: one benchmark run, read top to bottom in the order it measures; the
// pieces other benchmarks share are in bench/lib.
import pg from 'pg';
import { freshDatabase } from '../lib/db.mjs';
import { ensureBuilt } from '../lib/build.mjs';
import { startApi } from '../lib/api.mjs';
import { cpuWindow } from '../lib/cpu.mjs';
import { table } from '../lib/results.mjs';
import { apiRequire, cannon, dist, pgDataSource, rawLoad, rotating, wiring } from '../lib/load.mjs';
import { round, sleep } from '../lib/stats.mjs';
import { stopProcess } from '../lib/proc.mjs';

const SIZES = {
  small: { seconds: 3, consultations: 500, patients: 200, bookable: 3000, races: [100] },
  default: {
    seconds: 10,
    consultations: 2000,
    patients: 1000,
    bookable: 20000,
    races: [100, 1000],
  },
  large: {
    seconds: 30,
    consultations: 50000,
    patients: 20000,
    bookable: 60000,
    races: [100, 1000],
  },
};
const CONNECTIONS = 50;
const TARGET = { readsPerSecond: 3000, p99Ms: 50 };

export async function run({ size, log, deadline }) {
  const S = SIZES[size];
  ensureBuilt(log);
  const db = await freshDatabase('caunoi_bench_api', log);
  const pool = new pg.Pool({ connectionString: db.url, max: 10, application_name: 'caunoi-bench' });
  pool.on('error', () => {});
  let api;
  try {
    api = await startApi({ databaseUrl: db.url, log });
    const requester = await api.login('requester@district-1.demo');
    const coordinator = await api.login('coordinator@central-a.demo');
    const specialist = await api.login('specialist1@central-a.demo');
    const specialist2 = await api.login('specialist2@central-a.demo');

    // ---- data: patients and submitted requests of district 1 to central A (bulk SQL), plus
    // accepted requests that booking can schedule.
    const ids = (
      await pool.query(`SELECT code, id FROM facilities WHERE code IN ('TTYT-H1','BV-TW-A')`)
    ).rows.reduce((m, r) => ({ ...m, [r.code]: r.id }), {});
    const t0 = Date.now();
    await pool.query(
      `INSERT INTO patients (id, facility_id, full_name, date_of_birth, sex, national_id, created_by)
       SELECT (overlay(overlay(md5('bp' || j) placing '4' from 13) placing '8' from 17))::uuid, $1, (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng'])[1 + j % 5] || ' Văn Bệnh Nhân ' || j,
              date '1950-01-01' + j % 20000, 'male', lpad((200000000000 + j)::text, 12, '0'), $2
         FROM generate_series(1, $3::int) j`,
      [ids['TTYT-H1'], requester.user.id, S.patients],
    );
    await pool.query(
      `INSERT INTO consents (patient_id, kind, granted, recorded_by) SELECT (overlay(overlay(md5('bp' || j) placing '4' from 13) placing '8' from 17))::uuid, 'teleconsultation', true, $1 FROM generate_series(1, $2::int) j`,
      [requester.user.id, S.patients],
    );
    const insertConsultations = (status, prefix, n) =>
      pool.query(
        `INSERT INTO consultations (id, patient_id, requesting_facility_id, requester_id, target_facility_id, specialty, urgency, summary, question, status, submitted_at, created_at)
         SELECT (overlay(overlay(md5($5 || i) placing '4' from 13) placing '8' from 17))::uuid, (overlay(overlay(md5('bp' || (1 + i % $4::int)) placing '4' from 13) placing '8' from 17))::uuid, $1, $2, $3, 'hô hấp',
                (ARRAY['routine','routine','routine','urgent','emergency'])[1 + i % 5], 'Ho kéo dài, X-quang có đám mờ (' || i || ')',
                'Xin ý kiến chẩn đoán', $7, now() - i * interval '1 minute', now() - i * interval '1 minute' - interval '5 minutes'
           FROM generate_series(1, $6::int) i`,
        [ids['TTYT-H1'], requester.user.id, ids['BV-TW-A'], S.patients, prefix, n, status],
      );
    await insertConsultations('submitted', 'bc', S.consultations);
    await insertConsultations('accepted', 'bk', S.bookable);
    await pool.query('ANALYZE');
    log(
      `data: ${S.patients} patients, ${S.consultations} submitted + ${S.bookable} accepted requests in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const consultationIds = (
      await pool.query(`SELECT id FROM consultations WHERE status = 'submitted' ORDER BY random()`)
    ).rows.map((r) => r.id);
    const patientIds = (
      await pool.query(
        `SELECT id FROM patients WHERE facility_id = $1 ORDER BY random() LIMIT 500`,
        [ids['TTYT-H1']],
      )
    ).rows.map((r) => r.id);
    const bookableIds = (
      await pool.query(`SELECT id FROM consultations WHERE status = 'accepted' ORDER BY id`)
    ).rows.map((r) => r.id);

    // ---- HTTP scenarios
    const apiPid = api.child.pid;
    const scenarios = [];
    const measure = async (name, kind, opts) => {
      if (Date.now() > deadline)
        return scenarios.push({ name, kind, skipped: 'time budget exhausted' });
      await sleep(500);
      const w = cpuWindow({ api: apiPid, bench: process.pid }, { postgres: 'postgres' });
      const r = await cannon({ url: api.url, seconds: S.seconds, ...opts });
      const cpu = w.stop();
      const row = {
        name,
        kind,
        ...r,
        cpu: {
          apiProcessPct: round(cpu.api, 0),
          postgresPct: round(cpu.postgres, 0),
          benchProcessPct: round(cpu.bench, 0),
          machinePct: round(cpu.machine, 0),
        },
      };
      scenarios.push(row);
      log(
        `${name}: ${r.requestsPerSecond} req/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, non-2xx ${r.non2xx}, errors ${r.errors}; API ${row.cpu.apiProcessPct} %, PostgreSQL ${row.cpu.postgresPct} %, autocannon ${row.cpu.benchProcessPct} % of a core, machine ${row.cpu.machinePct} %`,
      );
      return row;
    };
    const nextList = rotating([
      '/api/consultations?limit=20',
      '/api/consultations?limit=20&status=submitted',
      '/api/consultations?limit=20&urgency=urgent',
    ]);
    await measure('list consultations (requester, page of 20)', 'read', {
      token: requester.token,
      next: nextList,
    });
    await measure('list triage queue (coordinator, submitted, page of 20)', 'read', {
      token: coordinator.token,
      next: () => '/api/consultations?status=submitted&role=target&limit=20',
    });
    const nextDetail = rotating(consultationIds.map((id) => `/api/consultations/${id}`));
    await measure('consultation detail (requester)', 'read', {
      token: requester.token,
      next: nextDetail,
    });
    const nextPatient = rotating(patientIds.map((id) => `/api/patients/${id}`));
    await measure('patient detail (requester)', 'read', {
      token: requester.token,
      next: nextPatient,
    });
    const nextSearch = rotating(
      ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', '2000000001'].map(
        (q) => `/api/patients?q=${encodeURIComponent(q)}`,
      ),
    );
    await measure('patient search (requester)', 'read', {
      token: requester.token,
      next: nextSearch,
    });
    const nextPatientId = rotating(patientIds);
    await measure('create consultation (draft)', 'write', {
      token: requester.token,
      method: 'POST',
      next: () => '/api/consultations',
      body: () => ({
        patientId: nextPatientId(),
        targetFacilityId: ids['BV-TW-A'],
        specialty: 'hô hấp',
        urgency: 'urgent',
        summary: 'Ho kéo dài, sốt về chiều.',
        question: 'Xin ý kiến chẩn đoán.',
      }),
    });

    // Booking: each request schedules another accepted request in its own hour (no overlap), with
    // the same specialist and the two sites; 409s here would be real conflicts.
    const base = Date.parse('2027-01-04T01:00:00Z');
    let slot = 0;
    // Participants and site on the central side only: the requester's access scope (sessions it
    // takes part in) must not grow during the run, or the later pg-driver list would read more.
    const booking = (k, startsAt) => ({
      consultationIds: [bookableIds[k % bookableIds.length]],
      participantIds: [specialist.user.id, specialist2.user.id],
      facilityIds: [ids['BV-TW-A']],
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 45 * 60_000).toISOString(),
    });
    const probe = await api.call('POST', '/api/sessions', {
      token: coordinator.token,
      body: booking(0, base),
    });
    let bookingAvailable = probe.status === 201;
    const raceResults = [];
    if (!bookingAvailable) {
      log(
        `POST /api/sessions answered ${probe.status} ${JSON.stringify(probe.body).slice(0, 200)}: booking not measured`,
      );
      scenarios.push({
        name: 'book session',
        kind: 'write',
        skipped: `POST /api/sessions → ${probe.status} in this build`,
      });
    } else {
      let k = 1;
      await measure('book session (coordinator, distinct slots)', 'write', {
        token: coordinator.token,
        method: 'POST',
        next: () => '/api/sessions',
        // (no `amount`: in autocannon it overrides the duration; 20,000 accepted requests outlast
        // 10 s at any rate this machine reaches)
        body: () => booking(k++, base + ++slot * 3_600_000),
      });
      // ---- the race: N concurrent attempts at one slot (distinct requests, same specialist and sites)
      let offset = k + 10;
      for (const n of S.races) {
        if (Date.now() > deadline) break;
        const at = base - (raceResults.length + 1) * 7 * 86_400_000; // a slot nobody else touched
        const t = Date.now();
        const statuses = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            api
              .call('POST', '/api/sessions', {
                token: coordinator.token,
                body: booking(offset + i, at),
                timeoutMs: 30_000,
              })
              .then(
                (r) => r.status,
                (e) => (e?.name === 'TimeoutError' ? 'timeout after 30 s' : 'error'),
              ),
          ),
        );
        offset += n;
        const count = (s) => statuses.filter((x) => x === s).length;
        const booked = (
          await pool
            .query(
              `SELECT count(DISTINCT session_id)::int AS n FROM session_bookings WHERE NOT cancelled AND lower(during) = $1`,
              [new Date(at).toISOString()],
            )
            .catch(() => ({ rows: [{ n: null }] }))
        ).rows[0].n;
        const others = statuses.filter((x) => x !== 201 && x !== 409);
        const otherStatuses = Object.fromEntries(
          [...new Set(others)].map((x) => [x, others.filter((y) => y === x).length]),
        );
        const row = {
          attempts: n,
          created201: count(201),
          conflict409: count(409),
          other: others.length,
          otherStatuses,
          sessionsInDatabase: booked,
          seconds: round((Date.now() - t) / 1000, 1),
        };
        row.exactlyOneWins = row.created201 === 1 && (booked === null || booked === 1);
        raceResults.push(row);
        log(
          `race ${n}: ${row.created201} × 201, ${row.conflict409} × 409, ${row.other} other ${JSON.stringify(otherStatuses)}; in database ${booked}`,
        );
      }
    }

    // ---- the same work through the pg driver directly (compiled services, no HTTP/Nest/guard)
    await stopProcess(api.child); // the API's CPU must not skew the baseline
    const dsx = pgDataSource(pool);
    const wire = wiring(dsx);
    const { ConsultationsRepository } = apiRequire(
      dist('consultations/consultations.repository.js'),
    );
    const { ConsultationsService } = apiRequire(dist('consultations/consultations.service.js'));
    const { UsersRepository } = apiRequire(dist('users/users.repository.js'));
    const users = wire(UsersRepository);
    const service = wire(ConsultationsService);
    const repo = wire(ConsultationsRepository);
    const reqUser = await users.findById(requester.user.id);
    const actor = { user: reqUser, address: '127.0.0.1' };
    const raw = [];
    const rawMeasure = async (name, work) => {
      if (Date.now() > deadline) return raw.push({ name, skipped: 'time budget exhausted' });
      await work(0); // warm
      const w = cpuWindow({ bench: process.pid }, { postgres: 'postgres' });
      const r = await rawLoad(work, S.seconds);
      const cpu = w.stop();
      raw.push({
        name,
        ...r,
        cpu: {
          benchProcessPct: round(cpu.bench, 0),
          postgresPct: round(cpu.postgres, 0),
          machinePct: round(cpu.machine, 0),
        },
      });
      log(
        `raw ${name}: ${r.requestsPerSecond} req/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, errors ${r.errors}`,
      );
    };
    // The same rotation of filters as the HTTP list scenario.
    const lists = [
      { limit: 20, offset: 0 },
      { status: 'submitted', limit: 20, offset: 0 },
      { urgency: 'urgent', limit: 20, offset: 0 },
    ];
    let li = 0;
    const nextQ = () => lists[li++ % lists.length];
    const q20 = lists[0];
    await rawMeasure('list consultations: page + count query only', () =>
      repo.list(reqUser, nextQ()),
    );
    // PostgreSQL's JIT (on by default, jit_above_cost 100000) compiles plans whose estimate passes
    // the threshold; the same page + count on connections with jit = off shows what it costs.
    const noJitPool = new pg.Pool({ connectionString: db.url, max: 10, options: '-c jit=off' });
    noJitPool.on('error', () => {});
    const repoNoJit = wiring(pgDataSource(noJitPool))(ConsultationsRepository);
    await rawMeasure('list consultations: page + count query only, jit=off', () =>
      repoNoJit.list(reqUser, nextQ()),
    );
    await noJitPool.end();
    // The list's statements and their plans (JIT timing included when it kicks in).
    const recorded = [];
    await wiring({
      query: (sql, params) => (
        recorded.push({ sql, params }),
        pool.query(sql, params).then((r) => r.rows)
      ),
    })(ConsultationsRepository).list(reqUser, q20);
    const listPlans = [];
    for (const st of recorded) {
      const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${st.sql}`, st.params);
      listPlans.push({
        sql: st.sql.replace(/\s+/g, ' ').trim(),
        plan: r.rows.map((x) => x['QUERY PLAN']).join('\n'),
      });
    }
    const listJitMs = listPlans
      .map((p) => Number(/Timing:.*Total ([\d.]+) ms/.exec(p.plan)?.[1] ?? 0))
      .reduce((a, b) => a + b, 0);
    log(
      `list statements: ${listPlans.length}, JIT compile time in their plans ${round(listJitMs, 0)} ms`,
    );
    await rawMeasure(
      'list consultations: all statements of the request (user lookup, page, count, audit of the 20 rows)',
      async () => {
        await users.findById(reqUser.id);
        await service.list(actor, nextQ());
      },
    );
    let d = 0;
    await rawMeasure('consultation detail: main SELECT only', () =>
      repo.findById(consultationIds[d++ % consultationIds.length]),
    );
    await rawMeasure(
      'consultation detail: all statements (user lookup, access check, audit insert, view, history)',
      async () => {
        await users.findById(reqUser.id);
        await service.get(actor, consultationIds[d++ % consultationIds.length]);
      },
    );
    await rawMeasure(
      'create consultation: all statements (user lookup, checks, insert + transition, audit, view)',
      async () => {
        await users.findById(reqUser.id);
        await service.create(actor, {
          patientId: nextPatientId(),
          targetFacilityId: ids['BV-TW-A'],
          specialty: 'hô hấp',
          urgency: 'urgent',
          summary: 'Ho kéo dài.',
          question: 'Xin ý kiến.',
        });
      },
    );

    // ---- ratios and summary
    const by = (arr, prefix) => arr.find((r) => r.name.startsWith(prefix) && !r.skipped);
    const ratio = (a, b) => (a && b ? round(a.requestsPerSecond / b.requestsPerSecond, 2) : null);
    const ratios = [
      {
        what: 'list: API ÷ raw (all statements)',
        value: ratio(by(scenarios, 'list consultations'), by(raw, 'list consultations: all')),
      },
      {
        what: 'list: API ÷ raw (main query only)',
        value: ratio(by(scenarios, 'list consultations'), by(raw, 'list consultations: page')),
      },
      {
        what: 'detail: API ÷ raw (all statements)',
        value: ratio(by(scenarios, 'consultation detail'), by(raw, 'consultation detail: all')),
      },
      {
        what: 'detail: API ÷ raw (main query only)',
        value: ratio(by(scenarios, 'consultation detail'), by(raw, 'consultation detail: main')),
      },
      {
        what: 'create: API ÷ raw (all statements)',
        value: ratio(by(scenarios, 'create consultation'), by(raw, 'create consultation')),
      },
    ];
    const reads = scenarios.filter((s) => s.kind === 'read' && !s.skipped);
    const bestRead = reads.slice().sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0];
    const markdown = [
      `${CONNECTIONS} concurrent connections (autocannon 9, keep-alive), ${S.seconds} s per scenario; API = \`apps/api/dist/main.js\` (one Node process, LOG_LEVEL=info, pool of 10), PostgreSQL ${db.version} (${db.kind}) on the same 2 cores; data: ${S.consultations} submitted and ${S.bookable} accepted requests of one district to one central hospital, ${S.patients} patients. Targets: ≥ ${TARGET.readsPerSecond} reads/s, p99 ≤ ${TARGET.p99Ms} ms.`,
      '',
      table([
        [
          'scenario (HTTP)',
          'req/s',
          'p50 ms',
          'p99 ms',
          'non-2xx',
          'API CPU %',
          'PostgreSQL CPU %',
          'autocannon CPU %',
          'machine CPU % (2 cores)',
        ],
        ...scenarios.map((s) =>
          s.skipped
            ? [s.name, s.skipped, null, null, null, null, null, null, null]
            : [
                s.name,
                s.requestsPerSecond,
                s.p50ms,
                s.p99ms,
                s.non2xx + s.errors,
                s.cpu.apiProcessPct,
                s.cpu.postgresPct,
                s.cpu.benchProcessPct,
                s.cpu.machinePct,
              ],
        ),
      ]),
      '',
      "Same work through the pg driver directly (the API's compiled services/repositories on a pg pool of 10, 50 concurrent loops, no HTTP, Nest or auth guard):",
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
                r.cpu.benchProcessPct,
                r.cpu.postgresPct,
              ],
        ),
      ]),
      '',
      table([['ratio (same run)', 'value'], ...ratios.map((r) => [r.what, r.value])]),
      '',
      `The requester's list (page + count) plans carry ${round(listJitMs, 0)} ms of PostgreSQL JIT compilation per call (server default jit = on, jit_above_cost 100000); plans in the JSON (\`listPlans\`).`,
      '',
      raceResults.length
        ? table([
            [
              'booking race: attempts',
              '201 Created',
              '409 Conflict',
              'other',
              'sessions in DB at that slot',
              'exactly one wins',
            ],
            ...raceResults.map((r) => [
              r.attempts,
              r.created201,
              r.conflict409,
              r.other ? `${r.other} ${JSON.stringify(r.otherStatuses)}` : 0,
              r.sessionsInDatabase,
              r.exactlyOneWins ? 'yes' : '**no**',
            ]),
          ])
        : `Booking race: not run (${scenarios.find((s) => s.name === 'book session')?.skipped ?? 'no booking endpoint'}).`,
    ].join('\n');
    return {
      data: {
        connections: CONNECTIONS,
        size: S,
        targets: TARGET,
        postgres: { version: db.version, kind: db.kind },
        http: scenarios,
        pgDriver: raw,
        ratios,
        bookingRace: raceResults,
        bookingAvailable,
        listPlans,
        listJitMs,
      },
      markdown,
      headline: `best read ${bestRead?.requestsPerSecond} req/s (${bestRead?.name}, p99 ${bestRead?.p99ms} ms); races ${raceResults.map((r) => `${r.attempts}: ${r.created201} won`).join(', ') || 'not run'}`,
    };
  } finally {
    if (api) {
      await stopProcess(api.child);
      api.cleanup();
    }
    await pool.end();
    await db.drop();
  }
}
