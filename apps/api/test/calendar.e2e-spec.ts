import ical, { VEvent } from 'node-ical';
import { startTestApp, TestApp, bearer } from './support/test-app';
import { acceptedConsultations, bookSession, coordinatorA, vietnamTime } from './sessions-fixtures';

/** The per-user iCalendar feed, parsed back with an iCalendar library as a calendar app would. */
describe('calendar: per-user iCalendar feed behind a secret URL', () => {
  let t: TestApp;
  let lastText = '';
  const specialist = () => bearer(t.tokens['specialist2@central-a.demo']);

  async function feed(url: string): Promise<VEvent[]> {
    const path = new URL(url).pathname;
    const res = await t.http().get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const text: string = res.text;
    expect(text).toMatch(/^BEGIN:VCALENDAR/);
    expect(text).not.toMatch(/DTSTART;TZID/); // UTC times only (…Z), whatever the reader's zone
    lastText = text;
    return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c.type === 'VEVENT');
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists invitations with stable UIDs and UTC times; updates raise SEQUENCE; cancellation is STATUS:CANCELLED', async () => {
    const { body: me } = await t.http().get('/api/me/calendar').set(specialist()).expect(200);
    expect(me.url).toMatch(/\/api\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/);
    const again = await t.http().get('/api/me/calendar').set(specialist()).expect(200);
    expect(again.body.url).toBe(me.url); // one stable URL to subscribe to
    // Behind the web server's proxy the URL names the public address, not the API's.
    const proxied = await t
      .http()
      .get('/api/me/calendar')
      .set(specialist())
      .set('X-Forwarded-Host', 'caunoi.example.vn')
      .set('X-Forwarded-Proto', 'https')
      .expect(200);
    expect(proxied.body.url).toBe(`https://caunoi.example.vn${new URL(me.url).pathname}`);

    const [cid] = await acceptedConsultations(t, 1);
    const booked = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [t.userIds['specialist2@central-a.demo']],
      startsAt: vietnamTime('2027-07-05', '09:00'),
      endsAt: vietnamTime('2027-07-05', '10:00'),
      title: 'Hội chẩn hô hấp',
    }).expect(201);
    const uid = `${booked.body.id}@caunoi`;

    let event = (await feed(me.url)).find((e) => e.uid === uid)!;
    expect(event).toBeDefined();
    expect(event.start.toISOString()).toBe('2027-07-05T02:00:00.000Z');
    expect(event.end.toISOString()).toBe('2027-07-05T03:00:00.000Z');
    expect(lastText).toContain('DTSTART:20270705T020000Z');
    expect(String(event.sequence)).toBe('0');
    expect(event.status).toBe('CONFIRMED');
    expect(String(event.summary)).toContain('Hội chẩn hô hấp');
    expect(String(event.description)).not.toContain('Trần Văn Lịch'); // no patient names in a feed

    await t
      .http()
      .patch(`/api/sessions/${booked.body.id}`)
      .set(coordinatorA(t))
      .send({
        startsAt: vietnamTime('2027-07-05', '14:00'),
        endsAt: vietnamTime('2027-07-05', '15:00'),
      })
      .expect(200);
    event = (await feed(me.url)).find((e) => e.uid === uid)!;
    expect(event.start.toISOString()).toBe('2027-07-05T07:00:00.000Z');
    expect(String(event.sequence)).toBe('1');

    await t
      .http()
      .post(`/api/sessions/${booked.body.id}/cancel`)
      .set(coordinatorA(t))
      .send({ reason: 'Đổi lịch mổ' })
      .expect(200);
    event = (await feed(me.url)).find((e) => e.uid === uid)!;
    expect(event.status).toBe('CANCELLED');
    expect(String(event.sequence)).toBe('2');
  });

  it('an unknown or malformed token is 404 without a bearer; rotation revokes the old URL', async () => {
    await t.http().get('/api/calendar/abcdefghijklmnopqrstuvwxyz0123456789ABCD.ics').expect(404);
    await t.http().get('/api/calendar/..%2Fetc.ics').expect(404);
    const { body: old } = await t.http().get('/api/me/calendar').set(specialist()).expect(200);
    const { body: rotated } = await t
      .http()
      .post('/api/me/calendar/rotate')
      .set(specialist())
      .expect(201);
    expect(rotated.url).not.toBe(old.url);
    await t.http().get(new URL(old.url).pathname).expect(404);
    await t.http().get(new URL(rotated.url).pathname).expect(200);
  });
});
