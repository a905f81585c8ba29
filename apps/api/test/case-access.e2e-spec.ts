import { COLLAB_CLIENT_EVENTS } from '@caunoi/shared';
import { collabClient, request } from './collaboration-client';
import { acceptedConsultations, bookSession, freshUser, joinTokenKeys } from './sessions-fixtures';
import { chestXrayDicom } from './support/files';
import { submittedConsultation } from './support/fixtures';
import { bearer, DemoEmail, startTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;

/**
 * The rules around a case that the access matrix does not show cell by cell: whom a session may
 * invite (and that each invitation is logged), who edits and signs the minutes, and how a
 * withdrawn consent stops booking, admission and sharing.
 */
describe('case access: invitations, minutes editors, consent', () => {
  let t: TestApp;
  const keys = joinTokenKeys();
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  const id = (email: DemoEmail) => t.userIds[email];
  const soon = (offsetMin: number) => new Date(Date.now() + offsetMin * MINUTE).toISOString();

  /** A submitted-and-accepted case of district 1 at central A (through the API). */
  async function acceptedCase() {
    const c = await submittedConsultation(t);
    await t
      .http()
      .post(`/api/consultations/${c.id}/accept`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    return c;
  }
  // Each booking gets its own hour a day ahead (the same people are in several); only the
  // admission test books one that opens now.
  let nextSlot = 24 * 60;
  const book = (consultationId: string, participantIds: string[], startsInMin = (nextSlot += 90)) =>
    bookSession(t, {
      consultationIds: [consultationId],
      participantIds,
      startsAt: soon(startsInMin),
      endsAt: soon(startsInMin + 60),
    });
  const withdrawConsent = (patientId: string) =>
    t
      .http()
      .post(`/api/patients/${patientId}/consents`)
      .set(as('requester@district-1.demo'))
      .send({ kind: 'teleconsultation', granted: false, note: 'Bệnh nhân rút lại đồng ý' })
      .expect(201);

  beforeAll(async () => {
    t = await startTestApp({ JOIN_TOKEN_PRIVATE_KEY: keys.privatePem });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('invitations (POST /sessions)', () => {
    it('never an admin, never a facility without a support link to either side: 400 naming participantIds', async () => {
      const [cid] = await acceptedConsultations(t, 1);
      for (const outsider of ['admin@caunoi.demo', 'coordinator@central-b.demo'] as const) {
        const res = await book(cid, [id('specialist1@central-a.demo'), id(outsider)]).expect(400);
        expect(res.body.message).toMatch(/^participantIds/);
        expect(res.body.details).toEqual([
          expect.objectContaining({ path: 'participantIds', ids: [id(outsider)] }),
        ]);
        expect(res.body.code).toBe('invalid_input');
      }
    });

    it('users of a facility linked to the target or the requester may be invited; each grant is logged', async () => {
      // BVDK-PT: supported by central A and supporting district 1
      const linked = await freshUser(t, ['specialist'], 'BVDK-PT');
      const c = await acceptedCase();
      const res = await book(c.id, [id('specialist1@central-a.demo'), linked.id]).expect(201);
      await t.http().get(`/api/consultations/${c.id}`).set(linked.headers).expect(200);
      const grants = await t.sql<{ patient_id: string; details: { userId: string } }>(
        `SELECT patient_id, details FROM audit_events WHERE action = 'access.grant' AND target_id = $1`,
        [c.id],
      );
      expect(grants.map((g) => g.details.userId).sort()).toEqual(
        [id('specialist1@central-a.demo'), linked.id].sort(),
      );
      expect(grants.every((g) => g.patient_id === c.patient.id)).toBe(true);
      expect(res.body.participantIds).toContain(linked.id);
    });
  });

  describe('minutes: only the chair or the secretary edit; the chair signs what they read', () => {
    let caseId: string;
    const draft = () => ({
      summary: 'Ho kéo dài.',
      opinions: 'Nghĩ nhiều đến lao.',
      conclusion: 'Theo dõi lao phổi.',
      recommendations: 'Xét nghiệm đờm.',
      chairId: id('specialist1@central-a.demo'),
      secretaryId: id('coordinator@central-a.demo'),
    });
    beforeAll(async () => {
      const c = await acceptedCase();
      caseId = c.id;
      await book(caseId, [
        id('specialist1@central-a.demo'),
        id('specialist2@central-a.demo'),
        id('requester@district-1.demo'),
      ]).expect(201);
      await t
        .http()
        .put(`/api/consultations/${caseId}/minutes`)
        .set(as('specialist1@central-a.demo'))
        .send(draft())
        .expect(200);
    });

    it('an invited specialist who is neither chair nor secretary gets 403; the secretary edits', async () => {
      const res = await t
        .http()
        .put(`/api/consultations/${caseId}/minutes`)
        .set(as('specialist2@central-a.demo'))
        .send({ ...draft(), conclusion: 'Sửa bởi người không được giao' })
        .expect(403);
      expect(res.body.message).toMatch(/chair or the secretary/);
      await t
        .http()
        .put(`/api/consultations/${caseId}/minutes`)
        .set(as('coordinator@central-a.demo'))
        .send({ ...draft(), conclusion: 'Thư ký ghi kết luận' })
        .expect(200);
    });

    it('sign requires the version (400 naming it) and refuses a stale revision (409 minutes_version_changed)', async () => {
      const chair = as('specialist1@central-a.demo');
      const url = `/api/consultations/${caseId}/minutes/sign`;
      const missing = await t.http().post(url).set(chair).send({}).expect(400);
      expect(missing.body.details.map((d: { path: string }) => d.path)).toContain('version');
      const read = await t.http().get(`/api/consultations/${caseId}/minutes`).set(chair);
      expect(read.body.revision).toBe(2); // the chair's draft, then the secretary's edit
      const stale = await t
        .http()
        .post(url)
        .set(chair)
        .send({ version: 1, revision: 1 })
        .expect(409);
      expect(stale.body).toMatchObject({
        code: 'minutes_version_changed',
        details: { version: 1, revision: 2 },
      });
      await t.http().post(url).set(chair).send({ version: 2 }).expect(409);
      const signed = await t
        .http()
        .post(url)
        .set(chair)
        .send({ version: read.body.version, revision: read.body.revision })
        .expect(200);
      expect(signed.body).toMatchObject({ status: 'signed', conclusion: 'Thư ký ghi kết luận' });
    });
  });

  describe('consent: a withdrawn teleconsultation consent stops booking, admission and sharing', () => {
    it('the patient exposes where each consent stands, recording included', async () => {
      const c = await acceptedCase();
      const res = await t
        .http()
        .get(`/api/patients/${c.patient.id}`)
        .set(as('requester@district-1.demo'))
        .expect(200);
      expect(res.body.consentState).toEqual({
        teleconsultation: 'granted',
        recording: 'not_recorded',
      });
      await withdrawConsent(c.patient.id);
      const after = await t
        .http()
        .get(`/api/patients/${c.patient.id}`)
        .set(as('requester@district-1.demo'))
        .expect(200);
      expect(after.body.consentState.teleconsultation).toBe('withdrawn');
    });

    it('booking → 409 consent_withdrawn', async () => {
      const c = await acceptedCase();
      await withdrawConsent(c.patient.id);
      const res = await book(c.id, [id('specialist1@central-a.demo')]).expect(409);
      expect(res.body.code).toBe('consent_withdrawn');
      expect(res.body.message).toMatch(/withdrawn/);
    });

    it('admission (join token) → 409 consent_withdrawn; sharing a file on screen → conflict ack', async () => {
      const c = await acceptedCase();
      const upload = await t
        .http()
        .post(`/api/consultations/${c.id}/attachments`)
        .set(as('requester@district-1.demo'))
        .attach('file', chestXrayDicom(), 'x-quang.dcm')
        .expect(201);
      const s = await book(
        c.id,
        [id('specialist1@central-a.demo'), id('requester@district-1.demo')],
        5,
      ).expect(201);
      const join = () =>
        t.http().post(`/api/sessions/${s.body.id}/join`).set(as('specialist1@central-a.demo'));
      await join().expect(200);
      const socket = await collabClient(t.app, t.tokens['specialist1@central-a.demo']);
      try {
        const entered = await request(socket, COLLAB_CLIENT_EVENTS.enter, {
          sessionId: s.body.id,
        });
        expect(entered.ok).toBe(true);
        await withdrawConsent(c.patient.id);
        const refused = await join().expect(409);
        expect(refused.body.code).toBe('consent_withdrawn');
        const share = await request(socket, COLLAB_CLIENT_EVENTS.viewUpdate, {
          sessionId: s.body.id,
          view: { attachmentId: upload.body.id, page: 1, zoom: 1 },
        });
        expect(share).toMatchObject({ ok: false, error: { code: 'conflict' } });
      } finally {
        socket.disconnect();
      }
    });
  });
});
