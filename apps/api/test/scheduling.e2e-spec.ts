import { APP_CONFIG, AppConfig } from '../src/config/config.module';
import { AvailabilityRepository } from '../src/scheduling/availability.repository';
import { FixedClock } from '../src/scheduling/clock';
import { SchedulingService } from '../src/scheduling/scheduling.service';
import { bearer, DemoEmail, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, bookSession, freshUser, vietnamTime } from './sessions-fixtures';

const MONDAY = '2027-03-01';
const TUESDAY = '2027-03-02';

/**
 * Suggestions against known calendars with a fixed clock: the service is built with a
 * FixedClock over the app's own repository and database.
 */
describe('scheduling: availability and suggestions', () => {
  let t: TestApp;
  let clock: FixedClock;
  let scheduling: SchedulingService;
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  const id = (email: DemoEmail) => t.userIds[email];
  const ask = (q: Partial<Parameters<SchedulingService['suggestions']>[0]>) =>
    scheduling.suggestions({ userIds: [], facilityIds: [], durationMinutes: 30, limit: 5, ...q });
  const starts = (slots: Array<{ startsAt: string }>) => slots.map((s) => s.startsAt);

  beforeAll(async () => {
    t = await startTestApp();
    clock = new FixedClock(new Date(vietnamTime(MONDAY, '09:05')));
    scheduling = new SchedulingService(
      t.app.get(AvailabilityRepository, { strict: false }),
      clock,
      t.app.get<AppConfig>(APP_CONFIG),
    );
    // specialist2 works mornings Monday–Friday and is on leave Tuesday morning.
    await t
      .http()
      .put('/api/me/availability')
      .set(as('specialist2@central-a.demo'))
      .send({
        intervals: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '12:00' })),
      })
      .expect(200);
    await t
      .http()
      .post('/api/me/availability/exceptions')
      .set(as('specialist2@central-a.demo'))
      .send({
        kind: 'leave',
        startsAt: vietnamTime(TUESDAY, '00:00'),
        endsAt: vietnamTime(TUESDAY, '10:00'),
        note: 'Nghỉ phép',
      })
      .expect(201);
    // Central A's bridge room is open 07:30–11:30 on weekdays.
    await t
      .http()
      .put(`/api/scheduling/sites/${t.facilityIds['BV-TW-A']}/availability`)
      .set(as('coordinator@central-a.demo'))
      .send({
        intervals: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '07:30', end: '11:30' })),
      })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the demo seed gives specialists Monday–Saturday 07:00–17:00', async () => {
    const res = await t
      .http()
      .get('/api/me/availability')
      .set(as('specialist1@central-a.demo'))
      .expect(200);
    expect(res.body.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(res.body.intervals).toEqual(
      [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '07:00', end: '17:00' })),
    );
  });

  it('emergency: only within the next hour, after the minimum notice, on the quarter-hour grid', async () => {
    const slots = await ask({
      userIds: [id('specialist1@central-a.demo'), id('specialist2@central-a.demo')],
      urgency: 'emergency',
    });
    // now 09:05, notice 15 min → 09:20 → grid 09:30; horizon 10:05 is the latest start.
    expect(starts(slots)).toEqual([vietnamTime(MONDAY, '09:30'), vietnamTime(MONDAY, '10:00')]);
  });

  it('an empty published week means never available; never having published means always', async () => {
    const cleared = await freshUser(t, ['specialist'], 'BV-TW-A');
    const silent = await freshUser(t, ['specialist'], 'BV-TW-A');
    await t
      .http()
      .put('/api/me/availability')
      .set(cleared.headers)
      .send({ intervals: [] })
      .expect(200);
    expect(await ask({ userIds: [cleared.id], limit: 1 })).toEqual([]);
    expect(starts(await ask({ userIds: [silent.id], limit: 1 }))).toEqual([
      vietnamTime(MONDAY, '09:30'),
    ]);
  });

  it('emergency at night: nobody has published availability, so the earliest unbooked times come flagged', async () => {
    clock.set(vietnamTime('2027-03-07', '22:00')); // Sunday night
    const slots = await ask({
      userIds: [id('specialist1@central-a.demo')],
      urgency: 'emergency',
      limit: 2,
    });
    expect(slots).toEqual([
      {
        startsAt: vietnamTime('2027-03-07', '22:15'),
        endsAt: vietnamTime('2027-03-07', '22:45'),
        outsideAvailability: true,
      },
      {
        startsAt: vietnamTime('2027-03-07', '22:45'),
        endsAt: vietnamTime('2027-03-07', '23:15'),
        outsideAvailability: true,
      },
    ]);
    clock.set(vietnamTime(MONDAY, '09:05'));
  });

  it('urgent (24 h): the bridge room and specialist2’s leave shape the answer; a booking is skipped', async () => {
    const [cid] = await acceptedConsultations(t, 1);
    await bookSession(t, {
      consultationIds: [cid],
      participantIds: [id('specialist2@central-a.demo')],
      startsAt: vietnamTime(MONDAY, '09:30'),
      endsAt: vietnamTime(MONDAY, '11:00'),
    }).expect(201);
    const slots = await ask({
      userIds: [id('specialist1@central-a.demo'), id('specialist2@central-a.demo')],
      facilityIds: [t.facilityIds['BV-TW-A']],
      durationMinutes: 30,
      urgency: 'urgent',
    });
    // Monday: booked 09:30–11:00 and the room closes 11:30 → only 11:00. Tuesday morning is leave
    // until 10:00, later than the 24 h horizon (Tuesday 09:05): nothing more.
    expect(starts(slots)).toEqual([vietnamTime(MONDAY, '11:00')]);
    const wider = await ask({
      userIds: [id('specialist2@central-a.demo')],
      facilityIds: [t.facilityIds['BV-TW-A']],
      urgency: 'routine',
      limit: 3,
    });
    expect(starts(wider)).toEqual([
      vietnamTime(MONDAY, '11:00'),
      vietnamTime(TUESDAY, '10:00'),
      vietnamTime(TUESDAY, '10:30'),
    ]);
  });

  it('routine (72 h) reaches into Wednesday and Thursday; no urgency searches two weeks from `from`', async () => {
    clock.set(vietnamTime('2027-03-03', '11:50')); // Wednesday
    const slots = await ask({
      userIds: [id('specialist2@central-a.demo')],
      durationMinutes: 60,
      urgency: 'routine',
      limit: 50,
    });
    expect(slots[0].startsAt).toBe(vietnamTime('2027-03-04', '08:00'));
    expect(slots.at(-1)!.startsAt).toBe(vietnamTime('2027-03-05', '11:00')); // Friday; Saturday is off and beyond 72 h
    const later = await ask({
      userIds: [id('specialist2@central-a.demo')],
      from: vietnamTime('2027-03-06', '00:00'),
      limit: 1,
    });
    expect(starts(later)).toEqual([vietnamTime('2027-03-08', '08:00')]); // next Monday
    clock.set(vietnamTime(MONDAY, '09:05'));
  });

  it('over HTTP: the request’s own urgency applies when none is given (and its scope is checked)', async () => {
    const [cid] = await acceptedConsultations(t, 1); // urgent
    const q = { userIds: id('specialist1@central-a.demo'), consultationId: cid, limit: 50 };
    const res = await t
      .http()
      .get('/api/scheduling/suggestions')
      .query(q)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    expect(res.body.urgency).toBe('urgent');
    for (const s of res.body.items)
      expect(Date.parse(s.startsAt)).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    await t
      .http()
      .get('/api/scheduling/suggestions')
      .query(q)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
  });

  it('over HTTP: validated, unknown people are 400, the week view gets expanded blocks', async () => {
    await t
      .http()
      .get('/api/scheduling/suggestions')
      .set(as('coordinator@central-a.demo'))
      .expect(400);
    const unknown = await t
      .http()
      .get('/api/scheduling/suggestions')
      .query({ userIds: '00000000-0000-4000-8000-000000000000' })
      .set(as('coordinator@central-a.demo'))
      .expect(400);
    expect(unknown.body.details).toEqual([
      expect.objectContaining({ path: 'userIds', ids: ['00000000-0000-4000-8000-000000000000'] }),
    ]);
    await t
      .http()
      .get('/api/scheduling/suggestions')
      .query({ userIds: id('specialist1@central-a.demo') })
      .set(as('requester@district-1.demo'))
      .expect(403);
    const week = await t
      .http()
      .get('/api/scheduling/availability')
      .query({
        userIds: id('specialist2@central-a.demo'),
        from: vietnamTime(MONDAY, '00:00'),
        to: vietnamTime('2027-03-08', '00:00'),
      })
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    expect(week.body.items).toHaveLength(5);
    expect(week.body.items[1]).toEqual({
      userId: id('specialist2@central-a.demo'),
      startsAt: vietnamTime(TUESDAY, '10:00'),
      endsAt: vietnamTime(TUESDAY, '12:00'),
    });
    const bad = await t
      .http()
      .put('/api/me/availability')
      .set(as('specialist2@central-a.demo'))
      .send({ intervals: [{ weekday: 8, start: '25:00', end: '07:00' }] })
      .expect(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['intervals.0.weekday', 'intervals.0.start']),
    );
    await t
      .http()
      .put(`/api/scheduling/sites/${t.facilityIds['TTYT-H1']}/availability`)
      .set(as('coordinator@central-a.demo'))
      .send({ intervals: [] })
      .expect(403);
  });
});
