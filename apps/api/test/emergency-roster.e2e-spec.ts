import { listOf, OnCallShiftSchema } from '@caunoi/shared';
import { emergencyKit } from './emergency-fixtures';
import { DemoEmail, startTestApp, TestApp } from './support/test-app';

const HOUR = 3600_000;

/** The on-call roster's rules and who may read and edit it, against the real API and PostgreSQL. */
describe('on-call roster', () => {
  let t: TestApp;
  const k = emergencyKit(() => t);
  const { as, shift, exactly } = k;
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

  it('roster rules: coordinators edit, end after start, only the facility’s specialists, no overlapping duplicate', async () => {
    const ok = await shift(
      'da liễu',
      id('specialist1@central-a.demo'),
      1,
      'coordinator@central-a.demo',
    );
    expect(ok.status).toBe(201);
    exactly(OnCallShiftSchema, ok.body);
    expect(ok.body).toMatchObject({
      facilityId: centralA,
      specialist: { id: id('specialist1@central-a.demo') },
      specialty: 'da liễu',
      order: 1,
    });
    const backwards = await t
      .http()
      .post(`/api/facilities/${centralA}/on-call`)
      .set(as('coordinator@central-a.demo'))
      .send({
        userId: id('specialist2@central-a.demo'),
        specialty: 'da liễu',
        startsAt: new Date(Date.now() + HOUR).toISOString(),
        endsAt: new Date(Date.now()).toISOString(),
      })
      .expect(400);
    expect(backwards.body.details).toEqual([expect.objectContaining({ path: 'endsAt' })]);
    const notSpecialist = await shift(
      'da liễu',
      id('requester@district-1.demo'),
      1,
      'coordinator@central-a.demo',
    );
    expect(notSpecialist.status).toBe(400);
    expect(notSpecialist.body.details).toEqual([expect.objectContaining({ path: 'userId' })]);
    // The same person, same specialty, overlapping: 409 naming the shift already there.
    const twice = await shift(
      'Da liễu',
      id('specialist1@central-a.demo'),
      2,
      'coordinator@central-a.demo',
    );
    expect(twice.status).toBe(409);
    expect(twice.body.details).toEqual([expect.objectContaining({ id: ok.body.id })]);
    // Another specialty at the same time is another duty.
    expect(
      (await shift('nhãn khoa', id('specialist1@central-a.demo'), 1, 'coordinator@central-a.demo'))
        .status,
    ).toBe(201);
    // A specialist of the facility reads it but does not edit it; an admin edits it.
    expect(
      (await shift('da liễu', id('specialist2@central-a.demo'), 1, 'specialist1@central-a.demo'))
        .status,
    ).toBe(403);
    expect(
      (await shift('da liễu', id('specialist2@central-a.demo'), 2, 'admin@caunoi.demo')).status,
    ).toBe(201);
    const q = `from=${encodeURIComponent(new Date(Date.now() - 2 * HOUR).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 6 * HOUR).toISOString())}&specialty=${encodeURIComponent('da liễu')}`;
    const listed = await t
      .http()
      .get(`/api/facilities/${centralA}/on-call?${q}`)
      .set(as('specialist1@central-a.demo'))
      .expect(200);
    exactly(listOf(OnCallShiftSchema), listed.body);
    expect(listed.body.items.map((s: { order: number }) => s.order)).toEqual([1, 2]);
    // Another facility's coordinator: the roster does not exist for them (and it is audited).
    await t
      .http()
      .get(`/api/facilities/${centralA}/on-call?${q}`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    expect(
      (await shift('da liễu', id('specialist2@central-a.demo'), 3, 'coordinator@central-b.demo'))
        .status,
    ).toBe(404);
    await t
      .http()
      .delete(`/api/facilities/${centralA}/on-call/${ok.body.id}`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    await t
      .http()
      .delete(`/api/facilities/${centralA}/on-call/${ok.body.id}`)
      .set(as('coordinator@central-a.demo'))
      .expect(204);
    const audit = await t.sql<{ action: string; n: string }>(
      `SELECT action, count(*) AS n FROM audit_events WHERE target_type = 'on_call_shift' OR (action = 'access.refused' AND target_type = 'on_call_roster') GROUP BY action ORDER BY action`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'access.refused',
      'on_call.create',
      'on_call.delete',
    ]);
  });
});
