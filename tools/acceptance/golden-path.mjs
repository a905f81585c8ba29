#!/usr/bin/env node
// Acceptance: SPEC's golden path and REST/signalling contracts, from the outside, against a
// running system (`npm start`). Plain Node 24 ESM: fetch, socket.io-client, and for the media
// part mediasoup-client on @roamhq/wrtc (as tools/mediasoup-worker/smoke.mjs).
//
//   node tools/acceptance/golden-path.mjs
//
// Env: API_BASE_URL (default http://localhost:3000, SPEC's default API port; REST is under /api;
// the web origin works too: it proxies REST, the sockets and SFU signalling), METRICS_URL (default
// API_BASE_URL/metrics; the one public origin does not publish metrics),
// DEMO_PASSWORD (default CauNoi#2026), ACCEPTANCE_MEDIA=false skips the WebRTC part.
// The SFU is reached at the sfuUrl that POST /sessions/:id/join returns.
// Prints one line per check (PASS/FAIL + detail); exits 1 on any failure.
// It writes to the database it talks to (a patient, two requests, a session): run it on a demo.
// Over 350 lines on purpose: one walk through the product, check after check in the order a
// person would go, so a failure reads as the step where the walk stopped; fixture files come from
// @caunoi/test-support.

import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { chestXrayDicom, labReportPdf, nodeWebRTC } from '@caunoi/test-support';

const ORIGIN = (process.env.API_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const API = `${ORIGIN}/api`;
const METRICS_URL = process.env.METRICS_URL ?? `${ORIGIN}/metrics`;
const PASSWORD = process.env.DEMO_PASSWORD ?? 'CauNoi#2026';
const MEDIA = process.env.ACCEPTANCE_MEDIA !== 'false';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let failures = 0;
let passes = 0;
function check(name, ok, detail = '') {
  if (ok) passes++;
  else failures++;
  const d = typeof detail === 'string' ? detail : JSON.stringify(detail);
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${d ? ` — ${d.slice(0, 400)}` : ''}`);
  return ok;
}
class Abort extends Error {}
/** A check whose failure makes the rest of the path meaningless. */
function must(name, ok, detail) {
  if (!check(name, ok, detail)) throw new Abort(name);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(fn, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v || Date.now() > deadline) return v;
    await sleep(100);
  }
}

async function http(method, path, { token, body, form, headers = {}, raw = false } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const url = path.startsWith('http') ? path : `${API}${path}`;
  const res = await fetch(url, { method, headers: h, body: payload });
  const buf = Buffer.from(await res.arrayBuffer());
  let json;
  if (!raw && (res.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(buf.toString('utf8'));
    } catch {
      /* not JSON */
    }
  }
  return {
    status: res.status,
    headers: res.headers,
    body: json,
    buf,
    text: () => buf.toString('utf8'),
  };
}
const summary = (r) => `${r.status} ${r.body ? JSON.stringify(r.body) : r.text().slice(0, 200)}`;
const isErrorBody = (b, code) =>
  b &&
  b.statusCode === code &&
  typeof b.error === 'string' &&
  (typeof b.message === 'string' || Array.isArray(b.message));
/** Every list response is {items, total?}. */
const items = (b) => b?.items;

// ---- files ---------------------------------------------------------------------------------
function upload(buf, name, type) {
  const form = new FormData();
  form.append('file', new Blob([buf], { type }), name);
  return form;
}

// ---- socket.io helpers ---------------------------------------------------------------------
function connect(url, opts) {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
    ...opts,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`connect_error ${err.message} ${JSON.stringify(err.data ?? '')}`));
    });
  });
}
function ask(socket, name, data, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    socket
      .timeout(timeoutMs)
      .emit(name, data ?? {}, (err, ack) =>
        err ? reject(new Error(`${name}: no ack (${err.message})`)) : resolve(ack),
      );
  });
}
/** Signalling request: unwraps `{ok: true, data}`; throws on `{ok: false, error}`. */
async function sig(socket, name, data) {
  const ack = await ask(socket, name, data);
  if (!ack || ack.ok !== true) throw new Error(`${name}: ${JSON.stringify(ack)}`);
  return ack.data;
}

// ---- the path ------------------------------------------------------------------------------
const ctx = {};

async function login(email) {
  const r = await http('POST', '/auth/login', { body: { email, password: PASSWORD } });
  const ok =
    (r.status === 200 || r.status === 201) &&
    r.body?.accessToken &&
    r.body?.refreshToken &&
    r.body?.user?.email === email;
  must(
    `POST /auth/login ${email} → {accessToken, refreshToken, user}`,
    ok,
    ok ? `${r.status}` : summary(r),
  );
  return r.body;
}

async function platform() {
  const health = await http('GET', `${ORIGIN}/health`);
  check('GET /health → 200', health.status === 200, summary(health));
  const metrics = await http('GET', METRICS_URL, { raw: true });
  check(
    'GET /metrics → 200 Prometheus text',
    metrics.status === 200 && /^# (HELP|TYPE) /m.test(metrics.text()),
    `${metrics.status} ${metrics.headers.get('content-type')}`,
  );
  const docs = await http('GET', `${ORIGIN}/api/docs`, { raw: true });
  check(
    'GET /api/docs → 200 OpenAPI UI',
    docs.status === 200 && /swagger|openapi/i.test(docs.text()),
    `${docs.status} ${docs.headers.get('content-type')}`,
  );
}

async function auth() {
  const bad = await http('POST', '/auth/login', {
    body: { email: 'coordinator@central-a.demo', password: 'wrong-password' },
  });
  check(
    'wrong password → 401 {statusCode, error, message}',
    bad.status === 401 && isErrorBody(bad.body, 401),
    summary(bad),
  );

  const coord = await login('coordinator@central-a.demo');
  const doctor = await login('requester@district-1.demo');
  ctx.coord = coord.accessToken;
  ctx.doctor = doctor.accessToken;
  ctx.doctorRefresh = doctor.refreshToken;

  const me = await http('GET', '/me', { token: ctx.doctor });
  check(
    'GET /me → the requester',
    me.status === 200 &&
      me.body?.email === 'requester@district-1.demo' &&
      UUID.test(me.body?.id ?? ''),
    summary(me),
  );
  ctx.doctorId = me.body?.id;
  const cme = await http('GET', '/me', { token: ctx.coord });
  check(
    'GET /me (coordinator) → role coordinator',
    cme.status === 200 &&
      JSON.stringify(cme.body?.roles ?? cme.body?.role ?? '').includes('coordinator'),
    summary(cme),
  );
  ctx.coordId = cme.body?.id;
  ctx.coordFacilityId = cme.body?.facilityId ?? cme.body?.facility?.id;

  // refresh rotation on a separate login, so the path's tokens stay usable
  const r1 = await http('POST', '/auth/refresh', { body: { refreshToken: ctx.doctorRefresh } });
  const rotated =
    (r1.status === 200 || r1.status === 201) &&
    r1.body?.accessToken &&
    r1.body?.refreshToken &&
    r1.body.refreshToken !== ctx.doctorRefresh;
  check('POST /auth/refresh → new pair', rotated, summary(r1));
  const r2 = await http('POST', '/auth/refresh', { body: { refreshToken: ctx.doctorRefresh } });
  check(
    'old refresh token stops working → 401',
    r2.status === 401 && isErrorBody(r2.body, 401),
    summary(r2),
  );
  // reuse revokes the family (documented): take a fresh login for the rest of the path
  ctx.doctor = (await login('requester@district-1.demo')).accessToken;
  const lo = await http('POST', '/auth/logout', {
    token: r1.body?.accessToken,
    body: { refreshToken: r1.body?.refreshToken },
  });
  check('POST /auth/logout → 2xx', lo.status >= 200 && lo.status < 300, summary(lo));

  // login throttle (429 + Retry-After), on an unknown address so no demo account is locked
  const ghost = `nobody-${randomUUID().slice(0, 8)}@example.invalid`;
  let limited;
  for (let i = 0; i < 12 && !limited; i++) {
    const x = await http('POST', '/auth/login', {
      body: { email: ghost, password: 'wrong-password' },
    });
    if (x.status === 429) limited = x;
  }
  check(
    'repeated failed logins → 429 with Retry-After, error format',
    !!limited && isErrorBody(limited.body, 429) && !!limited.headers.get('retry-after'),
    limited ? summary(limited) : 'never 429',
  );

  const unauth = await http('GET', '/me');
  check(
    'GET /me without a token → 401 error format',
    unauth.status === 401 && isErrorBody(unauth.body, 401),
    summary(unauth),
  );
}

const DEMO_ACCOUNTS = [
  ['admin@caunoi.demo', ['admin'], null],
  ['coordinator@central-a.demo', ['coordinator'], 'Bệnh viện Trung ương A'],
  ['specialist1@central-a.demo', ['specialist'], 'Bệnh viện Trung ương A', 'hô hấp'],
  ['specialist2@central-a.demo', ['specialist'], 'Bệnh viện Trung ương A', 'chẩn đoán hình ảnh'],
  ['requester@district-1.demo', ['requester'], 'Trung tâm Y tế huyện 1'],
  ['requester@commune-1.demo', ['requester'], 'Trạm Y tế xã 1'],
  ['coordinator@central-b.demo', ['coordinator'], 'Bệnh viện Trung ương B'],
];

async function demoData() {
  const r = await http('GET', '/facilities', { token: ctx.doctor });
  const list = items(r.body) ?? [];
  const byName = new Map(list.map((f) => [f.name, f]));
  for (const [email, roles, facilityName, specialty] of DEMO_ACCOUNTS) {
    const l = await http('POST', '/auth/login', { body: { email, password: PASSWORD } });
    const u = l.body?.user ?? {};
    const facility = facilityName ? byName.get(facilityName) : null;
    const ok =
      l.status === 200 &&
      JSON.stringify([...(u.roles ?? [])].sort()) === JSON.stringify(roles) &&
      (facilityName ? facility && u.facilityId === facility.id : u.facilityId == null) &&
      (!specialty || u.specialty === specialty);
    check(
      `demo account ${email}: ${roles.join(',')} at ${facilityName ?? '(system)'}${specialty ? `, ${specialty}` : ''}`,
      ok,
      `${l.status} roles=${JSON.stringify(u.roles)} facilityId=${u.facilityId} specialty=${u.specialty}`,
    );
  }
  const adminToken = (
    await http('POST', '/auth/login', { body: { email: 'admin@caunoi.demo', password: PASSWORD } })
  ).body?.accessToken;
  const users = await http('GET', '/users?limit=500', { token: adminToken });
  const emails = (items(users.body) ?? []).map((u) => u.email).sort();
  check(
    'the seed creates exactly the seven demo accounts',
    users.status === 200 &&
      JSON.stringify(emails) === JSON.stringify(DEMO_ACCOUNTS.map(([e]) => e).sort()),
    emails.join(', '),
  );
  const levels = list.reduce((m, f) => ((m[f.level] = (m[f.level] ?? 0) + 1), m), {});
  check(
    'demo network: two central hospitals, provincial, district and commune sites',
    levels.central === 2 && levels.provincial > 0 && levels.district > 0 && levels.commune > 0,
    JSON.stringify(levels),
  );
  const centralA = byName.get('Bệnh viện Trung ương A');
  const centralB = byName.get('Bệnh viện Trung ương B');
  const d1 = byName.get('Trung tâm Y tế huyện 1');
  const c1 = byName.get('Trạm Y tế xã 1');
  const supporters = async (f) =>
    JSON.stringify(
      (await http('GET', `/facilities/${f?.id}`, { token: ctx.doctor })).body?.supportedBy ?? [],
    );
  const d1s = await supporters(d1);
  check(
    'district 1 is supported by central A, not by central B',
    d1s.includes(centralA?.id) && !d1s.includes(centralB?.id),
    d1s.slice(0, 200),
  );
  const c1s = await supporters(c1);
  check(
    'commune 1 is supported by district 1 and central A',
    c1s.includes(d1?.id) && c1s.includes(centralA?.id),
    c1s.slice(0, 200),
  );
}

async function facilities() {
  const r = await http('GET', '/facilities', { token: ctx.doctor });
  const list = items(r.body) ?? [];
  const centralA = list.find((f) => f.code === 'BV-TW-A' || /Trung ương A/.test(f.name));
  const district1 = list.find((f) => /huyện 1\b/.test(f.name) && f.level === 'district');
  must(
    'GET /facilities → list with central A and district 1 (code, name, province, level)',
    r.status === 200 &&
      centralA &&
      district1 &&
      centralA.level === 'central' &&
      centralA.province &&
      centralA.code,
    `${r.status} ${list.length} facilities`,
  );
  ctx.centralA = centralA.id;
  ctx.district1 = district1.id;
  ctx.centralB = list.find((f) => f.code === 'BV-TW-B' || /Trung ương B/.test(f.name))?.id;
  const d = await http('GET', `/facilities/${district1.id}`, { token: ctx.doctor });
  const links = JSON.stringify(d.body ?? {});
  check(
    'GET /facilities/:id (district 1) with support links (supported by central A)',
    d.status === 200 && d.body?.id === district1.id && links.includes(centralA.id),
    summary(d),
  );
}

async function patients() {
  const nationalId = String(Date.now()).padStart(12, '0').slice(-12);
  const body = {
    fullName: 'Trịnh Văn Hùng',
    dateOfBirth: '1962-04-18',
    sex: 'male',
    nationalId,
    insuranceNumber: 'HT2250012312312',
  };
  const r = await http('POST', '/patients', { token: ctx.doctor, body });
  must(
    'POST /patients → 201 with id',
    r.status === 201 && UUID.test(r.body?.id ?? '') && r.body.fullName === body.fullName,
    summary(r),
  );
  ctx.patientId = r.body.id;

  const bad = await http('POST', '/patients', {
    token: ctx.doctor,
    body: { ...body, dateOfBirth: '18/04/1962' },
  });
  check(
    'bad body → 400 naming the field (dateOfBirth)',
    bad.status === 400 &&
      isErrorBody(bad.body, 400) &&
      JSON.stringify(bad.body).includes('dateOfBirth'),
    summary(bad),
  );
  const bad2 = await http('POST', '/patients', {
    token: ctx.doctor,
    body: { ...body, nationalId: '123' },
  });
  check(
    'bad national ID → 400 naming nationalId',
    bad2.status === 400 && JSON.stringify(bad2.body).includes('nationalId'),
    summary(bad2),
  );

  const q = await http('GET', `/patients?q=${encodeURIComponent('Trịnh Văn')}`, {
    token: ctx.doctor,
  });
  check(
    'GET /patients?q= finds the patient',
    q.status === 200 && (items(q.body) ?? []).some((p) => p.id === ctx.patientId),
    `${q.status} ${(items(q.body) ?? []).length} found`,
  );
  const one = await http('GET', `/patients/${ctx.patientId}`, { token: ctx.doctor });
  check(
    'GET /patients/:id',
    one.status === 200 &&
      one.body?.id === ctx.patientId &&
      one.body?.dateOfBirth?.startsWith('1962-04-18'),
    summary(one),
  );
  const c = await http('POST', `/patients/${ctx.patientId}/consents`, {
    token: ctx.doctor,
    body: { kind: 'teleconsultation', granted: true },
  });
  check(
    'POST /patients/:id/consents {kind, granted} → 201 with id',
    c.status === 201 && UUID.test(c.body?.id ?? ''),
    summary(c),
  );
}

const requestBody = () => ({
  patientId: ctx.patientId,
  targetFacilityId: ctx.centralA,
  specialty: 'hô hấp',
  urgency: 'urgent',
  summary: 'Nam 64 tuổi, khó thở tăng dần 2 tuần, X-quang có tràn dịch màng phổi phải.',
  question: 'Xin ý kiến nguyên nhân tràn dịch và chỉ định chọc dịch.',
});

async function request() {
  const unsupported = await http('POST', '/consultations', {
    token: ctx.doctor,
    body: { ...requestBody(), targetFacilityId: ctx.centralB },
  });
  check(
    'request to a facility that does not support district 1 (central B) → 400 naming targetFacilityId',
    unsupported.status === 400 &&
      isErrorBody(unsupported.body, 400) &&
      JSON.stringify(unsupported.body).includes('targetFacilityId'),
    summary(unsupported),
  );
  const r = await http('POST', '/consultations', { token: ctx.doctor, body: requestBody() });
  must(
    'POST /consultations → 201 {id, status: "draft"}',
    r.status === 201 && UUID.test(r.body?.id ?? '') && r.body.status === 'draft',
    summary(r),
  );
  ctx.requestId = r.body.id;

  const dcm = await http('POST', `/consultations/${ctx.requestId}/attachments`, {
    token: ctx.doctor,
    form: upload(
      chestXrayDicom({ sopInstanceUid: `1.2.826.0.1.3680043.2.1125.${Date.now()}` }),
      'x-quang-nguc.dcm',
      'application/dicom',
    ),
  });
  check(
    'POST /consultations/:id/attachments (DICOM) → 201',
    dcm.status === 201 && UUID.test(dcm.body?.id ?? ''),
    summary(dcm),
  );
  ctx.dicomId = dcm.body?.id;
  const pdf = await http('POST', `/consultations/${ctx.requestId}/attachments`, {
    token: ctx.doctor,
    form: upload(
      labReportPdf(`Lab report: CRP 48 mg/L, WBC 12.4 G/L ${Date.now()}`),
      'xet-nghiem.pdf',
      'application/pdf',
    ),
  });
  check(
    'POST /consultations/:id/attachments (PDF) → 201',
    pdf.status === 201 && UUID.test(pdf.body?.id ?? ''),
    summary(pdf),
  );
  ctx.pdfId = pdf.body?.id;
  const exe = await http('POST', `/consultations/${ctx.requestId}/attachments`, {
    token: ctx.doctor,
    form: upload(
      Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200, 0x41)]),
      'fake.dcm',
      'application/dicom',
    ),
  });
  check(
    'attachment whose content is not its type → 415',
    exe.status === 415 && isErrorBody(exe.body, 415),
    summary(exe),
  );

  const list = await http('GET', `/consultations/${ctx.requestId}/attachments`, {
    token: ctx.doctor,
  });
  const ids = (items(list.body) ?? []).map((a) => a.id);
  check(
    'GET /consultations/:id/attachments lists both',
    list.status === 200 && ids.includes(ctx.dicomId) && ids.includes(ctx.pdfId),
    summary(list),
  );
  const range = await http('GET', `/attachments/${ctx.dicomId}/content`, {
    token: ctx.doctor,
    headers: { range: 'bytes=128-131' },
    raw: true,
  });
  check(
    'GET /attachments/:id/content with Range → 206 (DICM at 128)',
    range.status === 206 &&
      range.text() === 'DICM' &&
      /^bytes 128-131\//.test(range.headers.get('content-range') ?? ''),
    `${range.status} ${range.headers.get('content-range')} ${JSON.stringify(range.text().slice(0, 8))}`,
  );
  const full = await http('GET', `/attachments/${ctx.pdfId}/content`, {
    token: ctx.doctor,
    raw: true,
  });
  check(
    'GET /attachments/:id/content → 200 the PDF',
    full.status === 200 && full.text().startsWith('%PDF-'),
    `${full.status} ${full.headers.get('content-type')}`,
  );

  const s = await http('POST', `/consultations/${ctx.requestId}/submit`, { token: ctx.doctor });
  check(
    'POST /consultations/:id/submit → submitted',
    s.status >= 200 && s.status < 300 && (s.body?.status ?? 'submitted') === 'submitted',
    summary(s),
  );

  const again = await http('POST', `/consultations/${ctx.requestId}/submit`, { token: ctx.doctor });
  check(
    'illegal transition (submit a submitted request) → 409 naming the allowed ones',
    again.status === 409 &&
      isErrorBody(again.body, 409) &&
      /accept|declin|cancel/.test(JSON.stringify(again.body)),
    summary(again),
  );

  const b = await login('coordinator@central-b.demo');
  const other = await http('GET', `/consultations/${ctx.requestId}`, { token: b.accessToken });
  check(
    "coordinator@central-b.demo GET district 1's consultation → 404 error format",
    other.status === 404 && isErrorBody(other.body, 404),
    summary(other),
  );
  const otherPatient = await http('GET', `/patients/${ctx.patientId}`, { token: b.accessToken });
  check(
    'coordinator@central-b.demo GET the patient → 404',
    otherPatient.status === 404,
    summary(otherPatient),
  );
  const otherFile = await http('GET', `/attachments/${ctx.dicomId}/content`, {
    token: b.accessToken,
    raw: true,
  });
  check(
    'coordinator@central-b.demo GET the attachment → 404',
    otherFile.status === 404,
    `${otherFile.status}`,
  );

  // a second request for the double-booking check
  const r2 = await http('POST', '/consultations', {
    token: ctx.doctor,
    body: { ...requestBody(), urgency: 'routine' },
  });
  const s2 = await http('POST', `/consultations/${r2.body?.id}/submit`, { token: ctx.doctor });
  ctx.request2Id = r2.body?.id;
  check(
    'second request created and submitted',
    r2.status === 201 && s2.status < 300,
    `${summary(r2)} / ${s2.status}`,
  );
}

async function triage() {
  const q = await http('GET', '/consultations?status=submitted', { token: ctx.coord });
  check(
    'coordinator GET /consultations?status=submitted shows the request',
    q.status === 200 && (items(q.body) ?? []).some((c) => c.id === ctx.requestId),
    `${q.status} ${(items(q.body) ?? []).length} items`,
  );
  const templ = await http('GET', '/consultations?status=submitted&urgency=&role=', {
    token: ctx.coord,
  });
  check(
    'GET /consultations?status=submitted&urgency=&role= (SPEC template, empty filters) → 200',
    templ.status === 200 && (items(templ.body) ?? []).some((c) => c.id === ctx.requestId),
    summary(templ).slice(0, 200),
  );
  const wrongRole = await http('POST', `/consultations/${ctx.requestId}/accept`, {
    token: ctx.doctor,
  });
  check(
    'requester accepts → 403',
    wrongRole.status === 403 && isErrorBody(wrongRole.body, 403),
    summary(wrongRole),
  );
  const a = await http('POST', `/consultations/${ctx.requestId}/accept`, { token: ctx.coord });
  must(
    'POST /consultations/:id/accept → accepted',
    a.status >= 200 && a.status < 300 && (a.body?.status ?? 'accepted') === 'accepted',
    summary(a),
  );
  const a2 = await http('POST', `/consultations/${ctx.request2Id}/accept`, { token: ctx.coord });
  check('second request accepted', a2.status < 300, summary(a2));
}

async function scheduling() {
  const users = await http('GET', `/users?facilityId=${ctx.centralA}&role=specialist`, {
    token: ctx.coord,
  });
  const all = items(users.body) ?? [];
  const s1 = all.find((u) => u.email === 'specialist1@central-a.demo');
  const s2 = all.find((u) => u.email === 'specialist2@central-a.demo');
  must(
    'GET /users (coordinator) finds specialist1 and specialist2',
    users.status === 200 && s1 && s2,
    summary(users),
  );
  ctx.s1 = s1.id;
  ctx.s2 = s2.id;

  const sug = await http(
    'GET',
    `/scheduling/suggestions?userIds=${s1.id},${s2.id}&facilityIds=${ctx.district1}&durationMinutes=30&limit=3`,
    { token: ctx.coord },
  );
  const slots = items(sug.body) ?? [];
  const sane = slots.every(
    (s) =>
      Date.parse(s.endsAt) - Date.parse(s.startsAt) === 30 * 60_000 &&
      Date.parse(s.startsAt) > Date.now(),
  );
  check(
    'GET /scheduling/suggestions?userIds=&facilityIds=&durationMinutes=30&limit=3 → 3 slots of 30 min',
    sug.status === 200 && slots.length === 3 && sane,
    summary(sug),
  );
  const sugRepeat = await http(
    'GET',
    `/scheduling/suggestions?userIds=${s1.id}&userIds=${s2.id}&facilityIds=${ctx.district1}&durationMinutes=30&limit=3`,
    { token: ctx.coord },
  );
  check(
    'suggestions also accept repeated userIds=…&userIds=…',
    sugRepeat.status === 200 && (items(sugRepeat.body) ?? []).length === 3,
    summary(sugRepeat),
  );

  // demo availability: Monday to Saturday 07:00–17:00 Vietnam time (00:00–10:00 UTC)
  const from = new Date();
  const to = new Date(from.getTime() + 8 * 86400_000);
  const av = await http(
    'GET',
    `/scheduling/availability?userIds=${s1.id}&from=${from.toISOString()}&to=${to.toISOString()}`,
    { token: ctx.coord },
  );
  // Blocks cut by either end of the asked window are not whole days: between 00:00 and 10:00 UTC
  // the last day's block ends at `to`.
  const blocks = (items(av.body) ?? []).filter(
    (b) => Date.parse(b.startsAt) > from.getTime() && Date.parse(b.endsAt) < to.getTime(),
  );
  const wrong = blocks.filter((b) => {
    const st = new Date(b.startsAt),
      en = new Date(b.endsAt);
    const vnDay = new Date(st.getTime() + 7 * 3600_000).getUTCDay();
    return (
      st.getUTCHours() !== 0 ||
      st.getUTCMinutes() !== 0 ||
      en.getTime() - st.getTime() !== 10 * 3600_000 ||
      vnDay === 0
    );
  });
  check(
    'demo specialist availability: Mon–Sat 07:00–17:00 Vietnam time',
    av.status === 200 && blocks.length >= 5 && wrong.length === 0,
    `${av.status} ${blocks.length} blocks; off-pattern: ${JSON.stringify(wrong.slice(0, 2))}`,
  );

  // live notification of the invitees (collaboration gateway)
  const specialist = await login('specialist1@central-a.demo');
  ctx.s1Token = specialist.accessToken;
  ctx.s2Token = (await login('specialist2@central-a.demo')).accessToken;
  let collab;
  const notified = [];
  try {
    collab = await connect(`${ORIGIN}/collab`, { auth: { token: ctx.s1Token } });
    collab.on('notification', (n) => notified.push(n));
  } catch (e) {
    check('collaboration gateway /collab connects with the access token', false, e.message);
  }

  // The first suggestion when it starts soon enough to join now; else a slot starting in ~2 min
  // (booking outside published availability is allowed, with a warning).
  const first = slots[0];
  const soon = first && Date.parse(first.startsAt) - Date.now() < 10 * 60_000;
  const start = soon
    ? new Date(first.startsAt)
    : new Date(Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  const booking = {
    consultationIds: [ctx.requestId],
    participantIds: [ctx.coordId, s1.id, s2.id, ctx.doctorId],
    facilityIds: [ctx.centralA, ctx.district1],
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
  };
  const r = await http('POST', '/sessions', { token: ctx.coord, body: booking });
  must(
    `POST /sessions {consultationIds, participantIds, facilityIds, startsAt, endsAt} → 201 (${soon ? 'first suggestion' : 'now + 2 min'})`,
    r.status === 201 && UUID.test(r.body?.id ?? ''),
    summary(r),
  );
  ctx.sessionId = r.body.id;
  ctx.sessionStart = start;
  const vn = new Date(start.getTime() + 7 * 3600_000);
  const outside =
    vn.getUTCDay() === 0 ||
    vn.getUTCHours() < 7 ||
    end.getTime() >
      Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate(), 17) - 7 * 3600_000;
  if (outside)
    check(
      'booking outside published availability → 201 with warnings',
      Array.isArray(r.body.warnings) && r.body.warnings.length > 0,
      JSON.stringify(r.body.warnings),
    );
  else
    check(
      'booking inside published availability → no warnings',
      Array.isArray(r.body.warnings) && r.body.warnings.length === 0,
      JSON.stringify(r.body.warnings),
    );

  const clash = await http('POST', '/sessions', {
    token: ctx.coord,
    body: {
      ...booking,
      consultationIds: [ctx.request2Id],
      participantIds: [s1.id],
      facilityIds: [ctx.district1],
      startsAt: new Date(start.getTime() + 10 * 60_000).toISOString(),
      endsAt: new Date(end.getTime() + 10 * 60_000).toISOString(),
    },
  });
  const conflicts = clash.body?.details ?? clash.body?.conflicts;
  const again = await http('POST', '/sessions', { token: ctx.coord, body: booking });
  check(
    'the same booking posted twice → 409 with the conflicting bookings',
    again.status === 409 &&
      Array.isArray(again.body?.details) &&
      again.body.details.some((c) => c.sessionId === ctx.sessionId),
    summary(again).slice(0, 300),
  );
  check(
    'double booking → 409 with the conflicting bookings',
    clash.status === 409 &&
      isErrorBody(clash.body, 409) &&
      Array.isArray(conflicts) &&
      conflicts.some((c) => c.sessionId === ctx.sessionId),
    summary(clash),
  );

  // cancelling a session frees its slots and puts the request back to accepted
  const later = {
    startsAt: new Date(start.getTime() + 3 * 3600_000).toISOString(),
    endsAt: new Date(start.getTime() + 3.5 * 3600_000).toISOString(),
  };
  const other = await http('POST', '/sessions', {
    token: ctx.coord,
    body: {
      consultationIds: [ctx.request2Id],
      participantIds: [ctx.coordId, s1.id, ctx.doctorId],
      facilityIds: [ctx.district1],
      ...later,
    },
  });
  const cancel = await http('POST', `/sessions/${other.body?.id}/cancel`, {
    token: ctx.coord,
    body: { reason: 'Bệnh nhân chuyển viện' },
  });
  const back = await http('GET', `/consultations/${ctx.request2Id}`, { token: ctx.coord });
  const rebook = await http('POST', '/sessions', {
    token: ctx.coord,
    body: {
      consultationIds: [ctx.request2Id],
      participantIds: [s1.id],
      facilityIds: [ctx.district1],
      ...later,
    },
  });
  check(
    'POST /sessions/:id/cancel {reason} frees the slot; request back to accepted',
    other.status === 201 &&
      cancel.status < 300 &&
      back.body?.status === 'accepted' &&
      rebook.status === 201,
    `${other.status} / ${summary(cancel).slice(0, 120)} / ${back.body?.status} / rebook ${rebook.status}`,
  );

  // the database guarantees one booking per slot: concurrent attempts for one specialist
  const N = 12;
  const racers = [];
  for (let i = 0; i < N; i++) {
    const c = await http('POST', '/consultations', {
      token: ctx.doctor,
      body: { ...requestBody(), urgency: 'routine' },
    });
    await http('POST', `/consultations/${c.body?.id}/submit`, { token: ctx.doctor });
    await http('POST', `/consultations/${c.body?.id}/accept`, { token: ctx.coord });
    racers.push(c.body?.id);
  }
  const slot = {
    startsAt: new Date(start.getTime() + 5 * 3600_000).toISOString(),
    endsAt: new Date(start.getTime() + 5.5 * 3600_000).toISOString(),
  };
  const raced = await Promise.all(
    racers.map((id) =>
      http('POST', '/sessions', {
        token: ctx.coord,
        body: { consultationIds: [id], participantIds: [s2.id], facilityIds: [], ...slot },
      }),
    ),
  );
  const codes = raced
    .map((x) => x.status)
    .sort()
    .join(',');
  check(
    `${N} concurrent bookings of one specialist's slot → exactly one 201, the rest 409`,
    raced.filter((x) => x.status === 201).length === 1 &&
      raced.filter((x) => x.status === 409).length === N - 1,
    codes,
  );

  if (collab) {
    const deadline = Date.now() + 5000;
    while (!notified.some((n) => n.sessionId === ctx.sessionId) && Date.now() < deadline)
      await sleep(100);
    check(
      'invitee notified live (collab "notification")',
      notified.some((n) => n.sessionId === ctx.sessionId),
      JSON.stringify(notified),
    );
    collab.close();
  }

  const g = await http('GET', `/sessions/${ctx.sessionId}`, { token: ctx.doctor });
  check(
    'GET /sessions/:id (participant)',
    g.status === 200 &&
      g.body?.id === ctx.sessionId &&
      JSON.stringify(g.body).includes(ctx.requestId),
    summary(g),
  );
  const c = await http('GET', `/consultations/${ctx.requestId}`, { token: ctx.doctor });
  check(
    'request is `scheduled` after booking',
    c.body?.status === 'scheduled',
    `${c.status} ${c.body?.status}`,
  );

  const cal = await http('GET', '/me/calendar', { token: ctx.s1Token });
  check(
    'GET /me/calendar → {url} of the per-user feed',
    cal.status === 200 && /\/api\/calendar\/[^/]+\.ics$/.test(cal.body?.url ?? ''),
    summary(cal),
  );
  if (cal.body?.url) {
    const feedPath = new URL(cal.body.url).pathname; // the feed is public: no bearer
    const ics = await http('GET', `${ORIGIN}${feedPath}`, { raw: true });
    const t = ics.text();
    check(
      'GET /calendar/:token.ics (no bearer) → text/calendar with the session',
      ics.status === 200 &&
        (ics.headers.get('content-type') ?? '').includes('text/calendar') &&
        t.startsWith('BEGIN:VCALENDAR') &&
        t.includes(ctx.sessionId),
      `${ics.status} ${ics.headers.get('content-type')}`,
    );
    check('calendar feed carries no patient data', !t.includes('Trịnh Văn Hùng'), '');
  }
}

// ---- media ---------------------------------------------------------------------------------
async function participant(name, token, join, wrtc, Device) {
  const { sfuUrl, iceServers } = join;
  // Behind a shared origin the SFU has its own socket.io path (SPEC: join's sfuPath).
  const socket = await connect(sfuUrl, { auth: { token }, path: join.sfuPath ?? '/socket.io' });
  const events = [];
  for (const e of [
    'peerJoined',
    'peerLeft',
    'newProducer',
    'producerClosed',
    'activeSpeaker',
    'score',
    'consumerLayersChanged',
  ])
    socket.on(e, (d) => events.push([e, d]));
  const routerRtpCapabilities = await sig(socket, 'getRouterRtpCapabilities');
  const device = new Device({ handlerName: 'Chrome111' });
  await device.load({ routerRtpCapabilities });
  const joined = await sig(
    socket,
    'join',
    name
      ? { displayName: name, rtpCapabilities: device.rtpCapabilities }
      : { rtpCapabilities: device.rtpCapabilities },
  );
  const transport = async (direction) => {
    const info = await sig(socket, 'createTransport', { direction });
    const params = {
      id: info.id,
      iceParameters: info.iceParameters,
      iceCandidates: info.iceCandidates,
      dtlsParameters: info.dtlsParameters,
      iceServers: info.iceServers ?? iceServers,
    };
    const t =
      direction === 'send'
        ? device.createSendTransport(params)
        : device.createRecvTransport(params);
    t.on('connect', ({ dtlsParameters }, cb, eb) =>
      sig(socket, 'connectTransport', { transportId: t.id, dtlsParameters }).then(() => cb(), eb),
    );
    if (direction === 'send')
      t.on('produce', ({ kind, rtpParameters, appData }, cb, eb) =>
        sig(socket, 'produce', { transportId: t.id, kind, rtpParameters, appData }).then(
          (d) => cb({ id: d.id }),
          eb,
        ),
      );
    return { info, t };
  };
  return { socket, device, joined, events, transport };
}

async function media(join, joinS1) {
  let wrtc, Device;
  try {
    wrtc = (await import('@roamhq/wrtc')).default;
    ({ Device } = await import('mediasoup-client'));
  } catch (e) {
    check('media libraries (@roamhq/wrtc, mediasoup-client) load', false, e.message);
    return;
  }
  nodeWebRTC(wrtc);
  const cleanup = [];
  try {
    const a = await participant('Trạm district 1', join.token, join, wrtc, Device);
    cleanup.push(() => a.socket.close());
    check(
      'SFU: connect with auth {token}, getRouterRtpCapabilities, join → {peers, producers}',
      Array.isArray(a.joined?.peers) && Array.isArray(a.joined?.producers),
      JSON.stringify(a.joined).slice(0, 200),
    );
    check(`SFU signalling reached at ${join.sfuUrl} path ${join.sfuPath ?? '/socket.io'}`, true);
    const send = await a.transport('send');
    cleanup.push(() => send.t.close());
    check(
      'SFU: createTransport send → {id, iceParameters, iceCandidates, dtlsParameters}',
      !!(
        send.info.id &&
        send.info.iceParameters &&
        Array.isArray(send.info.iceCandidates) &&
        send.info.dtlsParameters
      ),
      '',
    );
    const cands = send.info.iceCandidates ?? [];
    const mediaPort = Number(process.env.SFU_RTC_PORT ?? 40000);
    const protos = new Set(cands.map((c) => c.protocol));
    check(
      `SFU media: UDP and TCP candidates on the media port (${mediaPort}, single-worker)`,
      protos.has('udp') &&
        protos.has('tcp') &&
        cands.every((c) => c.port >= mediaPort && c.port < mediaPort + 64),
      JSON.stringify(cands.map((c) => `${c.protocol}:${c.ip}:${c.port}`)),
    );
    const source = new wrtc.nonstandard.RTCVideoSource();
    const track = source.createTrack();
    const W = 320,
      H = 240;
    const frame = new Uint8ClampedArray(W * H * 1.5);
    let tick = 0;
    const pump = setInterval(() => {
      frame.fill(tick++ % 256, 0, W * H);
      source.onFrame({ width: W, height: H, data: frame });
    }, 50);
    cleanup.push(() => {
      clearInterval(pump);
      track.stop();
    });
    const producer = await send.t.produce({ track, appData: { source: 'camera' } });
    check(
      'SFU: produce (wrtc video track, appData.source camera) → {id}',
      !!producer.id,
      producer.id,
    );

    const b = await participant(undefined, joinS1.token, joinS1, wrtc, Device);
    cleanup.push(() => b.socket.close());
    const peer = b.joined.peers.find((p) => p.id && p.userId === ctx.doctorId);
    check(
      'second participant join → peers [{id, userId, displayName, facility}] include the first',
      !!peer && typeof peer.displayName === 'string' && peer.facility !== undefined,
      JSON.stringify(b.joined.peers),
    );
    const prod = b.joined.producers.find((p) => p.id === producer.id);
    check(
      '… and producers [{id, peerId, kind, appData}] include its camera',
      !!prod &&
        prod.kind === 'video' &&
        prod.peerId === peer?.id &&
        prod.appData?.source === 'camera',
      JSON.stringify(b.joined.producers),
    );
    const deadline = Date.now() + 5000;
    while (!a.events.some(([e]) => e === 'peerJoined') && Date.now() < deadline) await sleep(100);
    const pj = a.events.find(([e]) => e === 'peerJoined')?.[1];
    check(
      'first participant gets peerJoined (join without displayName: the name comes from the token)',
      !!pj &&
        pj.userId === ctx.s1 &&
        typeof pj.displayName === 'string' &&
        pj.displayName.length > 0,
      JSON.stringify(pj ?? a.events.map(([e]) => e)),
    );

    const recv = await b.transport('recv');
    cleanup.push(() => recv.t.close());
    const c = await sig(b.socket, 'consume', {
      transportId: recv.t.id,
      producerId: producer.id,
      rtpCapabilities: b.device.rtpCapabilities,
    });
    check(
      'SFU: consume → {id, producerId, kind, rtpParameters}',
      !!(c.id && c.producerId === producer.id && c.kind === 'video' && c.rtpParameters),
      '',
    );
    const consumer = await recv.t.consume({
      id: c.id,
      producerId: c.producerId,
      kind: c.kind,
      rtpParameters: c.rtpParameters,
    });
    await sig(b.socket, 'resumeConsumer', { consumerId: c.id });
    let frames = 0;
    const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
    sink.onframe = () => frames++;
    cleanup.push(() => sink.stop());
    const until = Date.now() + 20_000;
    while (frames < 10 && Date.now() < until) await sleep(200);
    check(
      "specialist receives the district's video (decoded frames > 0)",
      frames > 0,
      `${frames} frames`,
    );

    // a microphone after the specialist is in: newProducer, then the speaker is detected
    const audioSource = new wrtc.nonstandard.RTCAudioSource();
    const audioTrack = audioSource.createTrack();
    let phase = 0;
    const samples = new Int16Array(480);
    const tone = setInterval(() => {
      for (let i = 0; i < samples.length; i++)
        samples[i] = Math.round(20000 * Math.sin((phase++ * 2 * Math.PI * 440) / 48000));
      audioSource.onData({
        samples,
        sampleRate: 48000,
        bitsPerSample: 16,
        channelCount: 1,
        numberOfFrames: samples.length,
      });
    }, 10);
    cleanup.push(() => {
      clearInterval(tone);
      audioTrack.stop();
    });
    const mic = await send.t.produce({ track: audioTrack, appData: { source: 'mic' } });
    const np = await waitUntil(
      () => b.events.find(([e, d]) => e === 'newProducer' && d.id === mic.id)?.[1],
      5000,
    );
    check(
      'newProducer {id, peerId, kind, appData} reaches the specialist',
      !!np && np.peerId === peer?.id && np.kind === 'audio' && np.appData?.source === 'mic',
      JSON.stringify(np ?? b.events.map(([e]) => e)),
    );
    const ac = await sig(b.socket, 'consume', {
      transportId: recv.t.id,
      producerId: mic.id,
      rtpCapabilities: b.device.rtpCapabilities,
    });
    await recv.t.consume({
      id: ac.id,
      producerId: ac.producerId,
      kind: ac.kind,
      rtpParameters: ac.rtpParameters,
    });
    await sig(b.socket, 'resumeConsumer', { consumerId: ac.id });
    const speaker = await waitUntil(
      () => b.events.find(([e]) => e === 'activeSpeaker')?.[1],
      10_000,
    );
    check(
      'activeSpeaker {peerId} names the district doctor',
      speaker?.peerId === peer?.id,
      JSON.stringify(speaker ?? null),
    );
    const score = await waitUntil(() => b.events.find(([e]) => e === 'score')?.[1], 10_000);
    check('score events reach the consumer side', !!score, JSON.stringify(score ?? null));

    const pr = await ask(a.socket, 'pauseProducer', { producerId: producer.id });
    const rr = await ask(a.socket, 'resumeProducer', { producerId: producer.id });
    check(
      'SFU: pauseProducer / resumeProducer {producerId} → ok',
      pr?.ok === true && rr?.ok === true,
      JSON.stringify([pr, rr]),
    );
    const ri = await ask(a.socket, 'restartIce', { transportId: send.t.id });
    const iceOk =
      ri?.ok === true &&
      typeof (ri.data?.usernameFragment ?? ri.data?.iceParameters?.usernameFragment) === 'string';
    if (iceOk) await send.t.restartIce({ iceParameters: ri.data.iceParameters ?? ri.data });
    check('SFU: restartIce {transportId} → iceParameters', iceOk, JSON.stringify(ri).slice(0, 200));
    const pl = await ask(b.socket, 'setPreferredLayers', { consumerId: c.id, spatialLayer: 0 });
    check(
      'SFU: setPreferredLayers {consumerId, spatialLayer} → acked',
      pl && typeof pl.ok === 'boolean' && (pl.ok || pl.error?.code),
      JSON.stringify(pl),
    );
    const bad = await ask(a.socket, 'produce', { transportId: send.t.id, kind: 'video' });
    check(
      'SFU: a malformed request → {ok: false, error: {code, message}}',
      bad?.ok === false &&
        typeof bad.error?.code === 'string' &&
        typeof bad.error?.message === 'string',
      JSON.stringify(bad),
    );
    const closed = new Promise((r) => b.socket.on('producerClosed', r));
    const cp = await ask(a.socket, 'closeProducer', { producerId: producer.id });
    const gotClosed = await Promise.race([closed, sleep(5000).then(() => null)]);
    check(
      'SFU: closeProducer → producerClosed {producerId} to the others',
      cp?.ok === true && gotClosed?.producerId === producer.id,
      JSON.stringify([cp, gotClosed]),
    );

    const left = new Promise((r) => a.socket.on('peerLeft', r));
    await sig(b.socket, 'leave');
    const got = await Promise.race([left, sleep(5000).then(() => null)]);
    check('leave → peerLeft {peerId} to the others', !!got?.peerId, JSON.stringify(got));
  } catch (e) {
    check('media path', false, e.message);
  } finally {
    for (const f of cleanup.reverse()) {
      try {
        f();
      } catch {
        /* closing */
      }
    }
  }
}

async function conference() {
  const wait = ctx.sessionStart.getTime() - 15 * 60_000 - Date.now();
  if (wait > 0) {
    console.log(`     (waiting ${Math.round(wait / 1000)} s for the join window)`);
    await sleep(wait + 1000);
  }
  const j = await http('POST', `/sessions/${ctx.sessionId}/join`, { token: ctx.doctor });
  must(
    'POST /sessions/:id/join → {token, sfuUrl, iceServers, expiresAt}',
    (j.status === 200 || j.status === 201) &&
      typeof j.body?.token === 'string' &&
      /^https?:\/\//.test(j.body?.sfuUrl ?? '') &&
      Array.isArray(j.body?.iceServers) &&
      !Number.isNaN(Date.parse(j.body?.expiresAt)),
    summary(j),
  );
  const j1 = await http('POST', `/sessions/${ctx.sessionId}/join`, { token: ctx.s1Token });
  must('POST /sessions/:id/join (specialist1)', j1.status < 300 && j1.body?.token, summary(j1));
  const outsider = await http('POST', `/sessions/${ctx.sessionId}/join`, {
    token: (await login('requester@commune-1.demo')).accessToken,
  });
  check('uninvited user join → 404', outsider.status === 404, summary(outsider));

  // SFU refuses a missing/forged token
  try {
    const s = await connect(j.body.sfuUrl, {
      auth: { token: 'not-a-token' },
      path: j.body.sfuPath ?? '/socket.io',
    });
    s.close();
    check('SFU refuses a forged token', false, 'connected');
  } catch (e) {
    check('SFU refuses a forged token', true, e.message);
  }
  if (MEDIA) await media(j.body, j1.body);

  // chat through the collaboration gateway, then the REST history
  try {
    const collab = await connect(`${ORIGIN}/collab`, { auth: { token: ctx.doctor } });
    const entered = await ask(collab, 'session:enter', { sessionId: ctx.sessionId });
    const sent = await ask(collab, 'chat:send', {
      sessionId: ctx.sessionId,
      clientId: randomUUID(),
      text: 'Xin chào, tôi trình bày phim X-quang.',
    });
    check(
      'collab: session:enter and chat:send acked ok',
      entered?.ok === true && sent?.ok === true,
      JSON.stringify(sent),
    );
    const watcher = await connect(`${ORIGIN}/collab`, { auth: { token: ctx.s1Token } });
    const seen = [];
    watcher.on('view:state', (v) => seen.push(v));
    await ask(watcher, 'session:enter', { sessionId: ctx.sessionId });
    const view = await ask(collab, 'view:update', {
      sessionId: ctx.sessionId,
      view: {
        attachmentId: ctx.dicomId,
        page: 1,
        zoom: 1.5,
        pan: { x: 0, y: 0 },
        windowLevel: { center: 40, width: 400 },
        pointer: { x: 0.4, y: 0.6 },
      },
    });
    check(
      'collab: district doctor presents the X-ray (view:update)',
      view?.ok === true,
      JSON.stringify(view),
    );
    const deadline = Date.now() + 5000;
    while (!seen.length && Date.now() < deadline) await sleep(100);
    const v = seen.at(-1)?.view ?? seen.at(-1);
    check(
      'collab: the specialist sees the same view and pointer (view:state)',
      v?.attachmentId === ctx.dicomId && v?.pointer?.x === 0.4 && v?.zoom === 1.5,
      JSON.stringify(seen.at(-1) ?? null).slice(0, 300),
    );
    watcher.close();
    collab.close();
  } catch (e) {
    check('collab chat', false, e.message);
  }
  const m = await http('GET', `/sessions/${ctx.sessionId}/messages`, { token: ctx.s1Token });
  check(
    'GET /sessions/:id/messages → the chat',
    m.status === 200 && (items(m.body) ?? []).some((x) => /X-quang/.test(x.text)),
    summary(m),
  );
}

async function minutes() {
  const body = {
    summary: 'Tràn dịch màng phổi phải lượng vừa.',
    opinions: 'Nghĩ nhiều tràn dịch do lao, cần loại trừ ác tính.',
    conclusion: 'Chọc dịch màng phổi chẩn đoán.',
    recommendations: 'Xét nghiệm dịch: ADA, tế bào học, cấy lao.',
    chairId: ctx.s1,
  };
  const bad = await http('PUT', `/consultations/${ctx.requestId}/minutes`, {
    token: ctx.coord,
    body: { ...body, chairId: 'nope' },
  });
  check(
    'PUT minutes with a bad chairId → 400 naming chairId',
    bad.status === 400 && JSON.stringify(bad.body).includes('chairId'),
    summary(bad),
  );
  const put = await http('PUT', `/consultations/${ctx.requestId}/minutes`, {
    token: ctx.coord,
    body,
  });
  must(
    'PUT /consultations/:id/minutes {summary, opinions, conclusion, recommendations, chairId}',
    put.status >= 200 && put.status < 300,
    summary(put),
  );
  // The chair signs the version and revision they read (both as GET/PUT …/minutes return them).
  const read = { version: put.body?.version, revision: put.body?.revision };
  const notChair = await http('POST', `/consultations/${ctx.requestId}/minutes/sign`, {
    token: ctx.coord,
    body: read,
  });
  check('sign by someone other than the chair → 403', notChair.status === 403, summary(notChair));
  const stale = await http('POST', `/consultations/${ctx.requestId}/minutes/sign`, {
    token: ctx.s1Token,
    body: { ...read, revision: (read.revision ?? 1) + 1 },
  });
  check(
    'sign naming another revision than the current draft → 409 minutes_version_changed',
    stale.status === 409 && stale.body?.code === 'minutes_version_changed',
    summary(stale),
  );
  const sign = await http('POST', `/consultations/${ctx.requestId}/minutes/sign`, {
    token: ctx.s1Token,
    body: read,
  });
  must(
    'POST /consultations/:id/minutes/sign (chair)',
    sign.status >= 200 && sign.status < 300,
    summary(sign),
  );
  const c = await http('GET', `/consultations/${ctx.requestId}`, { token: ctx.doctor });
  check(
    'consultation status `completed`',
    c.body?.status === 'completed',
    `${c.status} ${c.body?.status}`,
  );
  const cancel = await http('POST', `/consultations/${ctx.requestId}/cancel`, {
    token: ctx.doctor,
    body: { reason: 'test' },
  });
  check(
    'cancel a completed request → 409 naming the allowed ones',
    cancel.status === 409 &&
      isErrorBody(cancel.body, 409) &&
      'allowed' in (cancel.body.details ?? {}),
    summary(cancel),
  );
  const pdf = await http('GET', `/consultations/${ctx.requestId}/minutes.pdf`, {
    token: ctx.doctor,
    raw: true,
  });
  check(
    'GET /consultations/:id/minutes.pdf → application/pdf',
    pdf.status === 200 &&
      (pdf.headers.get('content-type') ?? '').startsWith('application/pdf') &&
      pdf.text().startsWith('%PDF-'),
    `${pdf.status} ${pdf.headers.get('content-type')} ${pdf.buf.length} bytes`,
  );
  const fhir = await http('GET', `/consultations/${ctx.requestId}/fhir`, { token: ctx.doctor });
  const types = new Set((fhir.body?.entry ?? []).map((e) => e.resource?.resourceType));
  const want = [
    'Composition',
    'Patient',
    'ServiceRequest',
    'Appointment',
    'Encounter',
    'DocumentReference',
  ];
  check(
    'GET /consultations/:id/fhir → Bundle with Composition, Patient, ServiceRequest, Appointment, Encounter, DocumentReference',
    fhir.status === 200 && fhir.body?.resourceType === 'Bundle' && want.every((w) => types.has(w)),
    `${fhir.status} ${fhir.headers.get('content-type')} [${[...types].join(', ')}]`,
  );
  const full = new Set((fhir.body?.entry ?? []).map((e) => e.fullUrl));
  const refs = JSON.stringify(fhir.body ?? {}).match(/"reference":"[^"]+"/g) ?? [];
  const dangling = refs
    .map((r) => r.slice(13, -1))
    .filter((r) => !full.has(r) && !r.startsWith('#'));
  check('FHIR references resolve inside the bundle', dangling.length === 0, dangling.join(', '));
}

async function audit() {
  const admin = (await login('admin@caunoi.demo')).accessToken;
  const r = await http('GET', `/audit?patientId=${ctx.patientId}&actorId=&from=&to=&limit=1000`, {
    token: admin,
  });
  const list = items(r.body) ?? [];
  const actors = (id) => list.filter((e) => (e.actorId ?? e.actor?.id) === id).map((e) => e.action);
  const coordActions = actors(ctx.coordId);
  const s1Actions = actors(ctx.s1);
  check(
    'GET /audit?patientId= (admin) shows who saw what',
    r.status === 200 &&
      list.length > 0 &&
      coordActions.some((a) => /read/.test(a)) &&
      s1Actions.length > 0,
    `${r.status} ${list.length} events; coordinator: ${[...new Set(coordActions)].join(',')}; specialist1: ${[...new Set(s1Actions)].join(',')}`,
  );
  const acts = new Set(list.map((e) => e.action));
  const want = [
    'patient.read',
    'attachment.download',
    'session.join',
    'attachment.share',
    'minutes.export_pdf',
  ];
  check(
    `audit (by patient) covers ${want.join(', ')}`,
    want.every((k) => acts.has(k)),
    `missing: ${want.filter((k) => !acts.has(k)).join(',') || 'none'}; has ${[...acts].join(',')}`,
  );
  const notAdmin = await http('GET', `/audit?patientId=${ctx.patientId}`, { token: ctx.coord });
  check('GET /audit as a coordinator → 403', notAdmin.status === 403, summary(notAdmin));
}

async function main() {
  console.log(`acceptance against ${API}`);
  const steps = [
    platform,
    auth,
    demoData,
    facilities,
    patients,
    request,
    triage,
    scheduling,
    conference,
    minutes,
    audit,
  ];
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      if (!(e instanceof Abort))
        check(`${step.name}: unexpected error`, false, e.stack ?? String(e));
      console.log(`     (stopped at step ${step.name})`);
      break;
    }
  }
  console.log(`\n${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}
main();
