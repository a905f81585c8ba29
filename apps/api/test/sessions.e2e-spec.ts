import { io, Socket } from 'socket.io-client';
import { COLLAB_NAMESPACE, COLLAB_SERVER_EVENTS, UserNotification } from '@caunoi/shared';
import { submittedConsultation } from './support/fixtures';
import { bearer, DemoEmail, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, bookSession, coordinatorA, vietnamTime } from './sessions-fixtures';

/** Monday 1 March 2027 (Vietnam): inside the demo specialists' Mon–Sat 07:00–17:00 week. */
const MONDAY = '2027-03-01';

describe('sessions: booking, double booking, reschedule, cancel', () => {
  let t: TestApp;
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  const id = (email: DemoEmail) => t.userIds[email];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('golden path step 3: accept, ask for slots, book; the request is scheduled and invitees are notified live', async () => {
    const c = await submittedConsultation(t);
    await t.http().post(`/api/consultations/${c.id}/accept`).set(coordinatorA(t)).expect(200);
    const specialists = [id('specialist1@central-a.demo'), id('specialist2@central-a.demo')];

    const port = (t.app.getHttpServer().address() as { port: number }).port;
    const socket: Socket = io(`http://127.0.0.1:${port}${COLLAB_NAMESPACE}`, {
      auth: { token: t.tokens['specialist1@central-a.demo'] },
      transports: ['websocket'],
    });
    const notified = new Promise<UserNotification>((resolve) =>
      socket.on(COLLAB_SERVER_EVENTS.notification, resolve),
    );
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });

    const suggestions = await t
      .http()
      .get('/api/scheduling/suggestions')
      .query({
        userIds: specialists.join(','),
        facilityIds: t.facilityIds['TTYT-H1'],
        durationMinutes: 45,
        from: vietnamTime(MONDAY, '06:00'),
        limit: 3,
      })
      .set(coordinatorA(t))
      .expect(200);
    expect(suggestions.body.items[0]).toEqual({
      startsAt: vietnamTime(MONDAY, '07:00'),
      endsAt: vietnamTime(MONDAY, '07:45'),
    });

    const slot = suggestions.body.items[0];
    const res = await bookSession(t, {
      consultationIds: [c.id],
      participantIds: [
        ...specialists,
        id('requester@district-1.demo'),
        id('coordinator@central-a.demo'),
      ],
      facilityIds: [t.facilityIds['BV-TW-A'], t.facilityIds['TTYT-H1']],
      ...slot,
      title: 'Hội chẩn hô hấp',
    }).expect(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      status: 'scheduled',
      warnings: [],
      startsAt: slot.startsAt,
      sequence: 0,
    });
    expect(res.body.consultations[0]).toMatchObject({ id: c.id, status: 'scheduled' });

    const n = await notified;
    expect(n).toMatchObject({ kind: 'session.invited', sessionId: res.body.id });

    // The very same booking posted again is a double booking: 409 with the bookings in the way.
    const twice = await bookSession(t, {
      consultationIds: [c.id],
      participantIds: [
        ...specialists,
        id('requester@district-1.demo'),
        id('coordinator@central-a.demo'),
      ],
      facilityIds: [t.facilityIds['BV-TW-A'], t.facilityIds['TTYT-H1']],
      ...slot,
    }).expect(409);
    expect(twice.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ sessionId: res.body.id })]),
    );
    socket.disconnect();

    // The requester now sees the session; the next suggestion skips the booked slot.
    const mine = await t
      .http()
      .get('/api/sessions')
      .query({ mine: 'true' })
      .set(as('requester@district-1.demo'))
      .expect(200);
    expect(mine.body.items.map((s: { id: string }) => s.id)).toContain(res.body.id);
    const again = await t
      .http()
      .get('/api/scheduling/suggestions')
      .query({
        userIds: specialists[0],
        durationMinutes: 45,
        from: vietnamTime(MONDAY, '06:00'),
        limit: 1,
      })
      .set(coordinatorA(t))
      .expect(200);
    expect(again.body.items[0].startsAt).toBe(vietnamTime(MONDAY, '07:45'));
    const read = await t
      .http()
      .get(`/api/sessions/${res.body.id}`)
      .set(as('specialist2@central-a.demo'))
      .expect(200);
    expect(read.body.participants).toHaveLength(4);
  });

  it('a booking outside published availability is created with a warning', async () => {
    const [cid] = await acceptedConsultations(t, 1);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [id('specialist1@central-a.demo')],
      startsAt: vietnamTime('2027-03-07', '20:00'), // a Sunday evening
      endsAt: vietnamTime('2027-03-07', '21:00'),
    }).expect(201);
    expect(res.body.warnings).toEqual([expect.stringContaining('has not published availability')]);
  });

  it('double booking is 409 listing the bookings in the way; cancelling frees the slot and gives the request back', async () => {
    const [a, b] = await acceptedConsultations(t, 2);
    const specialist = id('specialist2@central-a.demo');
    const first = await bookSession(t, {
      consultationIds: [a],
      participantIds: [specialist],
      startsAt: vietnamTime(MONDAY, '09:00'),
      endsAt: vietnamTime(MONDAY, '10:00'),
    }).expect(201);
    const clash = await bookSession(t, {
      consultationIds: [b],
      participantIds: [specialist, id('specialist1@central-a.demo')],
      startsAt: vietnamTime(MONDAY, '09:30'),
      endsAt: vietnamTime(MONDAY, '10:30'),
    }).expect(409);
    expect(clash.body.details).toEqual([
      {
        sessionId: first.body.id,
        userId: specialist,
        facilityId: null,
        startsAt: vietnamTime(MONDAY, '09:00'),
        endsAt: vietnamTime(MONDAY, '10:00'),
      },
    ]);
    // Nothing of the refused booking remains.
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM session_consultations WHERE consultation_id = $1`,
      [b],
    );
    expect(n).toBe(0);

    // Back-to-back is fine ([start, end) ranges).
    await bookSession(t, {
      consultationIds: [b],
      participantIds: [specialist],
      startsAt: vietnamTime(MONDAY, '10:00'),
      endsAt: vietnamTime(MONDAY, '10:30'),
    }).expect(201);

    const cancelled = await t
      .http()
      .post(`/api/sessions/${first.body.id}/cancel`)
      .set(coordinatorA(t))
      .send({ reason: 'Bác sĩ bận mổ cấp cứu' })
      .expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Bác sĩ bận mổ cấp cứu',
      sequence: 1,
    });
    expect(cancelled.body.consultations[0].status).toBe('accepted');
    expect(cancelled.body.history.map((h: { kind: string }) => h.kind)).toEqual([
      'booked',
      'cancelled',
    ]);
    const bookings = await t.sql(`SELECT cancelled FROM session_bookings WHERE session_id = $1`, [
      first.body.id,
    ]);
    expect(bookings).toEqual([{ cancelled: true }]);

    const [c] = await acceptedConsultations(t, 1);
    await bookSession(t, {
      consultationIds: [c],
      participantIds: [specialist],
      startsAt: vietnamTime(MONDAY, '09:00'),
      endsAt: vietnamTime(MONDAY, '10:00'),
    }).expect(201);
  });

  it('a sites is never in two overlapping sessions either', async () => {
    const [a, b] = await acceptedConsultations(t, 2);
    const site = t.facilityIds['TYT-X1'];
    await bookSession(t, {
      consultationIds: [a],
      participantIds: [id('specialist1@central-a.demo')],
      facilityIds: [site],
      startsAt: vietnamTime(MONDAY, '13:00'),
      endsAt: vietnamTime(MONDAY, '14:00'),
    }).expect(201);
    const res = await bookSession(t, {
      consultationIds: [b],
      participantIds: [id('specialist2@central-a.demo')],
      facilityIds: [site],
      startsAt: vietnamTime(MONDAY, '13:30'),
      endsAt: vietnamTime(MONDAY, '14:30'),
    }).expect(409);
    expect(res.body.details[0]).toMatchObject({ facilityId: site, userId: null });
  });

  it('a request cancelled by the requesting site frees its session’s slots', async () => {
    const c = await submittedConsultation(t);
    await t.http().post(`/api/consultations/${c.id}/accept`).set(coordinatorA(t)).expect(200);
    const slot = {
      startsAt: vietnamTime('2027-03-04', '08:00'),
      endsAt: vietnamTime('2027-03-04', '09:00'),
    };
    const s = await bookSession(t, {
      consultationIds: [c.id],
      participantIds: [id('specialist2@central-a.demo')],
      ...slot,
    }).expect(201);
    await t
      .http()
      .post(`/api/consultations/${c.id}/cancel`)
      .set(as('requester@district-1.demo'))
      .send({ reason: 'Bệnh nhân đã chuyển viện' })
      .expect(200);
    const read = await t.http().get(`/api/sessions/${s.body.id}`).set(coordinatorA(t)).expect(200);
    expect(read.body).toMatchObject({ status: 'cancelled', sequence: 1 });
    const [other] = await acceptedConsultations(t, 1);
    await bookSession(t, {
      consultationIds: [other],
      participantIds: [id('specialist2@central-a.demo')],
      ...slot,
    }).expect(201);
  });

  it('reschedule moves the bookings, keeps the old ones as history and bumps the sequence', async () => {
    const [a] = await acceptedConsultations(t, 1);
    const s = await bookSession(t, {
      consultationIds: [a],
      participantIds: [id('specialist1@central-a.demo')],
      startsAt: vietnamTime('2027-03-02', '08:00'),
      endsAt: vietnamTime('2027-03-02', '09:00'),
    }).expect(201);
    const moved = await t
      .http()
      .patch(`/api/sessions/${s.body.id}`)
      .set(coordinatorA(t))
      .send({
        startsAt: vietnamTime('2027-03-02', '08:30'),
        endsAt: vietnamTime('2027-03-02', '09:30'),
      })
      .expect(200);
    expect(moved.body).toMatchObject({ sequence: 1, startsAt: vietnamTime('2027-03-02', '08:30') });
    expect(moved.body.history.map((h: { kind: string }) => h.kind)).toEqual([
      'booked',
      'rescheduled',
    ]);
    const rows = await t.sql(
      `SELECT cancelled, lower(during) AS starts FROM session_bookings WHERE session_id = $1 ORDER BY id`,
      [s.body.id],
    );
    expect(rows.map((r) => r.cancelled)).toEqual([true, false]);
  });

  it('only the target facility’s coordinators book; others get 403 or 404, bad input 400', async () => {
    const [a] = await acceptedConsultations(t, 1);
    const body = {
      consultationIds: [a],
      participantIds: [id('specialist1@central-a.demo')],
      startsAt: vietnamTime('2027-03-03', '08:00'),
      endsAt: vietnamTime('2027-03-03', '09:00'),
    };
    await t
      .http()
      .post('/api/sessions')
      .set(as('specialist1@central-a.demo'))
      .send(body)
      .expect(403);
    await t
      .http()
      .post('/api/sessions')
      .set(as('coordinator@central-b.demo'))
      .send(body)
      .expect(404);
    const bad = await t
      .http()
      .post('/api/sessions')
      .set(coordinatorA(t))
      .send({ ...body, endsAt: body.startsAt })
      .expect(400);
    expect(bad.body.details[0].path).toBe('endsAt');
    const ghost = '00000000-0000-4000-8000-000000000000';
    const unknown = await t
      .http()
      .post('/api/sessions')
      .set(coordinatorA(t))
      .send({ ...body, participantIds: [ghost], facilityIds: [] })
      .expect(400);
    expect(unknown.body.details).toEqual([
      expect.objectContaining({ path: 'participantIds', ids: [ghost] }),
    ]);
    await t.http().get(`/api/sessions/${a}`).set(coordinatorA(t)).expect(404);
  });
});
