import type { Socket } from 'socket.io-client';
import { COLLAB_SERVER_EVENTS, type UserNotification } from '@caunoi/shared';
import type { z } from 'zod';
import { collabClient, next } from './collaboration-client';
import { registerPatient } from './support/fixtures';
import { bearer, DemoEmail, TestApp } from './support/test-app';

const HOUR = 3600_000;
type Headers = Record<string, string>;

/**
 * Helpers of the emergency suites, bound to a running test app: shifts on central A's roster
 * (from an hour ago for five hours), emergency requests, the rings recorded, live notifications.
 */
export function emergencyKit(app: () => TestApp) {
  const sockets: Socket[] = [];
  const t = new Proxy({} as TestApp, { get: (_, k) => app()[k as keyof TestApp] });
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  const centralA = () => t.facilityIds['BV-TW-A'];
  const window = () => ({
    startsAt: new Date(Date.now() - HOUR).toISOString(),
    endsAt: new Date(Date.now() + 4 * HOUR).toISOString(),
  });
  const socketWith = async (token: string) => {
    const s = await collabClient(t.app, token);
    sockets.push(s);
    return s;
  };
  const socketOf = (email: DemoEmail) => socketWith(t.tokens[email]);
  const notified = (s: Socket, kind: UserNotification['kind'], consultationId?: string) =>
    next<UserNotification>(
      s,
      COLLAB_SERVER_EVENTS.notification,
      (n) => n.kind === kind && (!consultationId || n.consultationId === consultationId),
      8000,
    );

  const shift = (specialty: string, userId: string, order: number, who: DemoEmail) =>
    t
      .http()
      .post(`/api/facilities/${centralA()}/on-call`)
      .set(as(who))
      .send({ userId, specialty, order, ...window() });

  /** An emergency request from district 1 to central A, drafted (submitted when asked). */
  const emergency = async (specialty: string, submit = true, requester?: Headers) => {
    const who = requester ?? as('requester@district-1.demo');
    const p = requester ? await patientOf(requester) : await registerPatient(t);
    const res = await t
      .http()
      .post('/api/consultations')
      .set(who)
      .send({
        patientId: p.id,
        targetFacilityId: centralA(),
        specialty,
        urgency: 'emergency',
        summary: 'Đau ngực dữ dội 30 phút, ST chênh lên DII, DIII, aVF.',
        question: 'Xin hội chẩn cấp cứu: can thiệp hay tiêu sợi huyết tại chỗ?',
      })
      .expect(201);
    if (submit)
      await t.http().post(`/api/consultations/${res.body.id}/submit`).set(who).expect(200);
    return res.body.id as string;
  };

  /** A patient registered, with consent, by another requesting facility's requester. */
  const patientOf = async (requester: Headers) => {
    const res = await t
      .http()
      .post('/api/patients')
      .set(requester)
      .send({ fullName: 'Trần Văn Cấp Cứu', dateOfBirth: '1958-07-01', sex: 'male' })
      .expect(201);
    await t
      .http()
      .post(`/api/patients/${res.body.id}/consents`)
      .set(requester)
      .send({ kind: 'teleconsultation', granted: true })
      .expect(201);
    return res.body as { id: string };
  };

  /** Parsing strips unknown keys, so equality also proves the shared schema names every field. */
  const exactly = <S extends z.ZodType>(schema: S, body: unknown) =>
    expect(schema.parse(body)).toEqual(body);

  const rings = (consultationId: string) =>
    t.sql<{ user_id: string; escalation_order: number }>(
      `SELECT user_id, escalation_order FROM emergency_rings WHERE consultation_id = $1 ORDER BY escalation_order, user_id`,
      [consultationId],
    );
  const until = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    let v = await probe();
    while (!ok(v) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      v = await probe();
    }
    return v;
  };

  const closeSockets = () => {
    for (const s of sockets) s.disconnect();
  };
  return {
    as,
    socketOf,
    socketWith,
    notified,
    shift,
    emergency,
    patientOf,
    exactly,
    rings,
    until,
    closeSockets,
  };
}
