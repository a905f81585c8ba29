import { acceptedConsultations, bookSession } from './sessions-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * SPEC's golden path from a fresh `npm start`: the coordinator books the demo specialists and the
 * district site right away and everyone joins at once. The demo seed's live session (a request
 * "in progress") must not hold those people past the moment of seeding, or that booking meets a
 * 409 from the demo data itself.
 */
describe('demo seed: the golden path people are bookable from the start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('books both demo specialists, the coordinator, the district doctor and both sites from now on', async () => {
    const demoInProgress = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM sessions WHERE status = 'in_progress'`,
    );
    expect(demoInProgress[0].n).toBeGreaterThan(0); // the demo still shows a request in progress
    const [cid] = await acceptedConsultations(t, 1);
    const startsAt = new Date(Date.now() + 60_000);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: (
        [
          'coordinator@central-a.demo',
          'specialist1@central-a.demo',
          'specialist2@central-a.demo',
          'requester@district-1.demo',
        ] as const
      ).map((e) => t.userIds[e]),
      facilityIds: [t.facilityIds['BV-TW-A'], t.facilityIds['TTYT-H1']],
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
    });
    expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({
      status: 201,
      body: null,
    });
  });
});
