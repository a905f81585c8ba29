import { ClaimResultSchema, EmergencyCallSchema, listOf } from '@caunoi/shared';
import { EmergencyCallsService } from '../src/emergency/emergency-calls.service';
import { emergencyKit } from './emergency-fixtures';
import { freshUser } from './sessions-fixtures';
import { DemoEmail, startTestApp, TestApp } from './support/test-app';

/**
 * Emergency consults against the real API and PostgreSQL: ringing the first tier on submit (live
 * notification), the claim race, escalation after the timeout (1 s here) from the database,
 * access and the audit trail. Each case uses its own specialty so the demo roster (respiratory)
 * does not ring.
 */
describe('emergency consults', () => {
  let t: TestApp;
  const k = emergencyKit(() => t);
  const { as, socketOf, notified, shift, emergency, exactly, rings, until } = k;
  const id = (email: DemoEmail) => t.userIds[email];
  let centralA: string;

  beforeAll(async () => {
    t = await startTestApp({ EMERGENCY_CLAIM_TIMEOUT_SECONDS: '1' });
    centralA = t.facilityIds['BV-TW-A'];
  });
  afterAll(async () => {
    k.closeSockets();
    await t?.close();
  });

  it('submitting rings the first tier on duty at once, live; the rung specialist may read the request', async () => {
    expect(
      (await shift('tim mạch', id('specialist1@central-a.demo'), 1, 'coordinator@central-a.demo'))
        .status,
    ).toBe(201);
    expect(
      (await shift('tim mạch', id('specialist2@central-a.demo'), 2, 'coordinator@central-a.demo'))
        .status,
    ).toBe(201);
    const s1 = await socketOf('specialist1@central-a.demo');
    const cid = await emergency('tim mạch', false);
    const ring = notified(s1, 'emergency.ring', cid);
    await t
      .http()
      .post(`/api/consultations/${cid}/submit`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    const n = await ring;
    expect(n.title).toContain('tim mạch');
    expect((await rings(cid)).filter((r) => r.escalation_order === 1)).toEqual([
      { user_id: id('specialist1@central-a.demo'), escalation_order: 1 },
    ]);
    const calls = await t
      .http()
      .get('/api/emergency-calls')
      .set(as('specialist1@central-a.demo'))
      .expect(200);
    exactly(listOf(EmergencyCallSchema), calls.body);
    expect(calls.body.items.map((c: { consultationId: string }) => c.consultationId)).toContain(
      cid,
    );
    await t
      .http()
      .get(`/api/consultations/${cid}`)
      .set(as('specialist1@central-a.demo'))
      .expect(200);
    const audit = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'emergency.ring' AND target_id = $1 AND details->>'userId' = $2`,
      [cid, id('specialist1@central-a.demo')],
    );
    expect(audit).toHaveLength(1);
  });

  it('two concurrent claims: exactly one wins, the other gets 409 naming the winner; both enter a session from now', async () => {
    const a = await freshUser(t, ['specialist'], 'BV-TW-A', 'BS. Nhanh Tay');
    const b = await freshUser(t, ['specialist'], 'BV-TW-A', 'BS. Chậm Chân');
    for (const u of [a, b])
      expect((await shift('thần kinh', u.id, 1, 'coordinator@central-a.demo')).status).toBe(201);
    const requester = await socketOf('requester@district-1.demo');
    const cid = await emergency('thần kinh');
    await until(
      () => rings(cid),
      (r) => r.length >= 2,
    );
    const claimedLive = notified(requester, 'emergency.claimed', cid);
    const answers = await Promise.all(
      [a, b].map((u) => t.http().post(`/api/consultations/${cid}/claim`).set(u.headers)),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const won = answers.find((r) => r.status === 200)!;
    const lost = answers.find((r) => r.status === 409)!;
    exactly(ClaimResultSchema, won.body);
    const winner = won.body.claimedBy.id === a.id ? 'BS. Nhanh Tay' : 'BS. Chậm Chân';
    expect(lost.body.code).toBe('already_claimed');
    expect(lost.body.message).toContain(winner);
    const live = await claimedLive;
    expect(live.sessionId).toBe(won.body.sessionId);
    const session = await t
      .http()
      .get(`/api/sessions/${won.body.sessionId}`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    expect(session.body.participantIds.sort()).toEqual(
      [won.body.claimedBy.id, id('requester@district-1.demo')].sort(),
    );
    expect(session.body.facilities.map((s: { id: string }) => s.id)).toEqual([
      t.facilityIds['TTYT-H1'],
    ]);
    expect(Math.abs(Date.parse(session.body.startsAt) - Date.now())).toBeLessThan(60_000);
    const c = await t
      .http()
      .get(`/api/consultations/${cid}`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    expect(c.body.status).toBe('scheduled');
    expect(c.body.history.map((h: { to: string }) => h.to)).toEqual(
      expect.arrayContaining(['submitted', 'accepted', 'scheduled']),
    );
    // Claiming again is answered with the same session; the loser no longer reads the case.
    const again = await t
      .http()
      .post(`/api/consultations/${cid}/claim`)
      .set(won.body.claimedBy.id === a.id ? a.headers : b.headers)
      .expect(200);
    expect(again.body.sessionId).toBe(won.body.sessionId);
    await t
      .http()
      .get(`/api/consultations/${cid}`)
      .set(won.body.claimedBy.id === a.id ? b.headers : a.headers)
      .expect(404);
    const audit = await t.sql<{ action: string }>(
      `SELECT action FROM audit_events WHERE target_id = $1 AND action IN ('emergency.claim', 'emergency.claim_refused') ORDER BY action`,
      [cid],
    );
    expect(audit.map((x) => x.action)).toEqual(['emergency.claim', 'emergency.claim_refused']);
  });

  it('access: another facility’s coordinator gets 404, the requester and an unrung specialist 403 — all audited', async () => {
    const cid = await emergency('tim mạch');
    await t
      .http()
      .post(`/api/consultations/${cid}/claim`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    await t
      .http()
      .post(`/api/consultations/${cid}/claim`)
      .set(as('requester@district-1.demo'))
      .expect(403);
    await t
      .http()
      .post(`/api/consultations/${cid}/claim`)
      .set(as('coordinator@central-a.demo'))
      .expect(403);
    const refused = await t.sql<{ actor_id: string }>(
      `SELECT actor_id FROM audit_events WHERE action = 'access.refused' AND target_id = $1`,
      [cid],
    );
    expect(refused.map((r) => r.actor_id).sort()).toEqual(
      [
        id('coordinator@central-b.demo'),
        id('requester@district-1.demo'),
        id('coordinator@central-a.demo'),
      ].sort(),
    );
    await t
      .http()
      .post('/api/consultations/not-a-uuid/claim')
      .set(as('specialist1@central-a.demo'))
      .expect(400);
  });

  it('nobody claims within the timeout: the next tier and the coordinators are rung; then it stops', async () => {
    const first = await freshUser(t, ['specialist'], 'BV-TW-A');
    const second = await freshUser(t, ['specialist'], 'BV-TW-A');
    expect((await shift('ung bướu', first.id, 1, 'coordinator@central-a.demo')).status).toBe(201);
    expect((await shift('ung bướu', second.id, 2, 'coordinator@central-a.demo')).status).toBe(201);
    const coordinator = await socketOf('coordinator@central-a.demo');
    const secondLive = await k.socketWith(second.token);
    // Another requesting site: district 1 and its requester are in the race's session from now on.
    const requester = await freshUser(t, ['requester'], 'BVDK-PT');
    const cid = await emergency('ung bướu', false, requester.headers);
    const escalated = notified(coordinator, 'emergency.escalated', cid);
    const rungSecond = notified(secondLive, 'emergency.ring', cid);
    await t.http().post(`/api/consultations/${cid}/submit`).set(requester.headers).expect(200);
    expect((await rings(cid)).map((r) => r.user_id)).toEqual([first.id]);
    await escalated;
    await rungSecond;
    expect(await rings(cid)).toEqual([
      { user_id: first.id, escalation_order: 1 },
      { user_id: second.id, escalation_order: 2 },
    ]);
    const [call] = await until(
      () =>
        t.sql<{ exhausted: boolean; escalations: number }>(
          `SELECT exhausted, escalations FROM emergency_calls WHERE consultation_id = $1`,
          [cid],
        ),
      (r) => r[0]?.exhausted === true,
    );
    expect(call).toEqual({ exhausted: true, escalations: 2 });
    // Escalated ones may still claim.
    const claimed = await t
      .http()
      .post(`/api/consultations/${cid}/claim`)
      .set(second.headers)
      .expect(200);
    expect(claimed.body.claimedBy.id).toBe(second.id);
    const audit = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'emergency.escalate' AND target_id = $1`,
      [cid],
    );
    expect(audit).toHaveLength(2);
  });

  it('escalation is driven from the database: a call rung before a restart escalates from its rung_at', async () => {
    const first = await freshUser(t, ['specialist'], 'BV-TW-A');
    const second = await freshUser(t, ['specialist'], 'BV-TW-A');
    expect((await shift('nội tiết', first.id, 1, 'coordinator@central-a.demo')).status).toBe(201);
    expect((await shift('nội tiết', second.id, 2, 'coordinator@central-a.demo')).status).toBe(201);
    // As a previous API process left it: the call open, rung an hour ago, no ring of tier 2.
    const cid = await emergency('nội tiết', false);
    await t.sql(
      `UPDATE consultations SET status = 'submitted', submitted_at = now() - interval '1 hour' WHERE id = $1`,
      [cid],
    );
    await t.sql(
      `INSERT INTO emergency_calls (consultation_id, facility_id, specialty, rung_at, rung_order) VALUES ($1, $2, 'nội tiết', now() - interval '1 hour', 1)`,
      [cid, centralA],
    );
    await t.sql(
      `INSERT INTO emergency_rings (consultation_id, user_id, escalation_order) VALUES ($1, $2, 1)`,
      [cid, first.id],
    );
    // Called here as the job's next round would (it may be the job's own round that gets there).
    await t.app.get(EmergencyCallsService).escalateDue(new Date());
    const after = await until(
      () => rings(cid),
      (r) => r.some((x) => x.user_id === second.id),
    );
    expect(after).toEqual([
      { user_id: first.id, escalation_order: 1 },
      { user_id: second.id, escalation_order: 2 },
    ]);
  });

  it('nobody on duty for the specialty: the coordinators are told at once', async () => {
    const coordinator = await socketOf('coordinator@central-a.demo');
    const cid = await emergency('sản khoa', false);
    const told = notified(coordinator, 'emergency.escalated', cid);
    await t
      .http()
      .post(`/api/consultations/${cid}/submit`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    await told;
    expect(await rings(cid)).toEqual([]);
  });

  it('a real double booking refuses the claim and leaves the request unclaimed', async () => {
    const a = await freshUser(t, ['specialist'], 'BV-TW-A');
    expect((await shift('nhi khoa', a.id, 1, 'coordinator@central-a.demo')).status).toBe(201);
    const requester = await freshUser(t, ['requester'], 'BVDK-TB');
    const first = await emergency('nhi khoa', true, requester.headers);
    await t.http().post(`/api/consultations/${first}/claim`).set(a.headers).expect(200);
    // The same specialist, already in the first emergency's session, is rung for a second one.
    const second = await emergency('nhi khoa', true, requester.headers);
    const refused = await t
      .http()
      .post(`/api/consultations/${second}/claim`)
      .set(a.headers)
      .expect(409);
    expect(refused.body.code).toBe('double_booked');
    const [call] = await t.sql<{ claimed_by: string | null }>(
      `SELECT claimed_by FROM emergency_calls WHERE consultation_id = $1`,
      [second],
    );
    expect(call.claimed_by).toBeNull();
    const c = await t.http().get(`/api/consultations/${second}`).set(requester.headers).expect(200);
    expect(c.body.status).toBe('submitted');
  });
});
