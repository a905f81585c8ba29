import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import {
  ChatMessage,
  COLLAB_CLIENT_EVENTS as C,
  COLLAB_LIMITS,
  COLLAB_SERVER_EVENTS as S,
  PresenceEntry,
} from '@caunoi/shared';
import { bearer, DemoEmail, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, bookSession, vietnamTime } from './sessions-fixtures';
import { collabClient, next, request } from './collaboration-client';

const VIEW = {
  page: 1,
  zoom: 1.5,
  pan: { x: 10, y: -20 },
  windowLevel: { center: 40, width: 400 },
  pointer: { x: 0.4, y: 0.6 },
};

describe('collaboration gateway (/collab): presence, chat, shared view, annotations, robustness', () => {
  let t: TestApp;
  let sessionId: string;
  let attachmentId: string;
  let foreignAttachmentId: string;
  const sockets: Socket[] = [];
  const id = (email: DemoEmail) => t.userIds[email];
  const connect = async (email: DemoEmail) => {
    const s = await collabClient(t.app, t.tokens[email]);
    sockets.push(s);
    return s;
  };
  const enter = (s: Socket) =>
    request<{
      presence: PresenceEntry[];
      view: unknown;
      presenterId: string | null;
      messages: ChatMessage[];
    }>(s, C.enter, { sessionId });

  async function attachment(consultationId: string): Promise<string> {
    const [a] = await t.sql<{ id: string }>(
      `INSERT INTO attachments (consultation_id, sha256, kind, media_type, file_name, size_bytes, uploaded_by)
       VALUES ($1, $2, 'dicom', 'application/dicom', 'chest.dcm', 1024, $3) RETURNING id`,
      [
        consultationId,
        randomUUID().replace(/-/g, '').padEnd(64, '0'),
        id('requester@district-1.demo'),
      ],
    );
    return a.id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    const [cid, other] = await acceptedConsultations(t, 2);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [
        id('specialist1@central-a.demo'),
        id('specialist2@central-a.demo'),
        id('requester@district-1.demo'),
        id('coordinator@central-a.demo'),
      ],
      startsAt: vietnamTime('2027-05-03', '08:00'),
      endsAt: vietnamTime('2027-05-03', '09:00'),
    }).expect(201);
    sessionId = res.body.id;
    attachmentId = await attachment(cid);
    foreignAttachmentId = await attachment(other);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  it('refuses a connection without a valid access token, and a non-participant at the door', async () => {
    await expect(collabClient(t.app, 'not-a-token')).rejects.toThrow(/unauthorized/);
    const outsider = await connect('requester@commune-1.demo');
    expect(await enter(outsider)).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.any(String) },
    });
    expect(
      await request(outsider, C.chatSend, { sessionId, clientId: randomUUID(), text: 'xin chào' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('presence says who is here and from which site; chat is broadcast, kept, and in the history on entering', async () => {
    const doctor = await connect('requester@district-1.demo');
    const first = await enter(doctor);
    expect(first.ok).toBe(true);
    const specialist = await connect('specialist1@central-a.demo');
    const seen = next<{ entries: PresenceEntry[] }>(doctor, S.presence, (p) =>
      p.entries.some((e) => e.userId === id('specialist1@central-a.demo') && e.online),
    );
    await enter(specialist);
    const presence = await seen;
    expect(
      presence.entries.find((e) => e.userId === id('requester@district-1.demo')),
    ).toMatchObject({ online: true, facilityName: 'Trung tâm Y tế huyện 1' });
    expect(
      presence.entries.find((e) => e.userId === id('specialist2@central-a.demo')),
    ).toMatchObject({ online: false });

    const heard = next<ChatMessage>(specialist, S.chatMessage);
    const sent = await request<ChatMessage>(doctor, C.chatSend, {
      sessionId,
      clientId: randomUUID(),
      text: 'Phim X-quang đã tải lên',
    });
    expect(sent).toMatchObject({
      ok: true,
      data: { text: 'Phim X-quang đã tải lên', authorId: id('requester@district-1.demo') },
    });
    expect(await heard).toEqual((sent as { data: ChatMessage }).data);

    const late = await connect('specialist2@central-a.demo');
    const entered = await enter(late);
    expect(entered.ok && entered.data.messages.map((m) => m.text)).toContain(
      'Phim X-quang đã tải lên',
    );
    const rest = await t
      .http()
      .get(`/api/sessions/${sessionId}/messages`)
      .set(bearer(t.tokens['specialist2@central-a.demo']))
      .expect(200);
    expect(rest.body.items.map((m: ChatMessage) => m.text)).toContain('Phim X-quang đã tải lên');
    await t
      .http()
      .get(`/api/sessions/${sessionId}/messages`)
      .set(bearer(t.tokens['requester@commune-1.demo']))
      .expect(404);
  });

  it('a chat resend after a forced reconnect is stored once and not broadcast twice', async () => {
    const doctor = await connect('requester@district-1.demo');
    await enter(doctor);
    const listener = await connect('coordinator@central-a.demo');
    await enter(listener);
    const received: ChatMessage[] = [];
    listener.on(S.chatMessage, (m: ChatMessage) => received.push(m));

    const clientId = randomUUID();
    const firstAck = await request<ChatMessage>(doctor, C.chatSend, {
      sessionId,
      clientId,
      text: 'Đề nghị chụp CT ngực',
    });
    expect(firstAck.ok).toBe(true);

    // Drop the transport under the client (as a weak 3G link does); socket.io reconnects by itself.
    const reconnected = new Promise<void>((resolve) =>
      doctor.io.once('reconnect', () => resolve()),
    );
    doctor.io.engine.close();
    await reconnected;
    await enter(doctor);
    const resent = await request<ChatMessage>(doctor, C.chatSend, {
      sessionId,
      clientId,
      text: 'Đề nghị chụp CT ngực',
    });
    expect(resent).toEqual(firstAck);

    const rows = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM chat_messages WHERE session_id = $1 AND client_id = $2`,
      [sessionId, clientId],
    );
    expect(rows[0].n).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.filter((m) => m.clientId === clientId)).toHaveLength(1);
  });

  it('shared view: the presenter’s view and pointer reach everyone, a late joiner sees it at once, hand-over works', async () => {
    const presenter = await connect('requester@district-1.demo');
    await enter(presenter);
    const viewer = await connect('specialist1@central-a.demo');
    await enter(viewer);

    const followed = next<{ view: { pointer: unknown }; presenterId: string }>(viewer, S.view);
    const put = await request(presenter, C.viewUpdate, {
      sessionId,
      view: { attachmentId, ...VIEW },
    });
    expect(put).toMatchObject({ ok: true, data: { presenterId: id('requester@district-1.demo') } });
    expect(await followed).toMatchObject({
      sessionId,
      presenterId: id('requester@district-1.demo'),
      view: { attachmentId, ...VIEW },
    });
    // SPEC: every share is audited, with the patient, once per attachment put on screen
    const shares = await t.sql<{ actor_id: string; patient_id: string | null }>(
      `SELECT actor_id, patient_id FROM audit_events WHERE action = 'attachment.share' AND target_id = $1`,
      [attachmentId],
    );
    expect(shares).toHaveLength(1);
    expect(shares[0].actor_id).toBe(id('requester@district-1.demo'));
    expect(shares[0].patient_id).not.toBeNull();

    // Someone else may not drive the view, nor show another case's file.
    expect(
      await request(viewer, C.viewUpdate, { sessionId, view: { attachmentId, ...VIEW, zoom: 3 } }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await request(presenter, C.viewUpdate, {
        sessionId,
        view: { attachmentId: foreignAttachmentId, ...VIEW },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const pointer = next<{ view: { pointer: { x: number } } }>(
      viewer,
      S.view,
      (p) => p.view.pointer?.x === 0.9,
    );
    await request(presenter, C.viewUpdate, {
      sessionId,
      view: { attachmentId, ...VIEW, pointer: { x: 0.9, y: 0.1 } },
    });
    await pointer;

    const late = await connect('specialist2@central-a.demo');
    const entered = await enter(late);
    expect(entered).toMatchObject({
      ok: true,
      data: {
        presenterId: id('requester@district-1.demo'),
        view: { attachmentId, zoom: 1.5, pointer: { x: 0.9, y: 0.1 } },
      },
    });

    const handedOver = next<{ presenterId: string }>(late, S.presenter);
    expect(
      await request(presenter, C.presenterSet, {
        sessionId,
        presenterId: id('specialist1@central-a.demo'),
      }),
    ).toMatchObject({ ok: true });
    expect(await handedOver).toEqual({ sessionId, presenterId: id('specialist1@central-a.demo') });
    expect(
      await request(viewer, C.viewUpdate, { sessionId, view: { attachmentId, ...VIEW, page: 2 } }),
    ).toMatchObject({ ok: true });
    expect(
      await request(presenter, C.presenterSet, {
        sessionId,
        presenterId: id('requester@district-1.demo'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a presenter’s view updates sent back to back are stored and relayed in the order sent', async () => {
    // specialist1 presents since the hand-over above.
    const presenter = await connect('specialist1@central-a.demo');
    await enter(presenter);
    const follower = await connect('specialist2@central-a.demo');
    await enter(follower);
    const seen: { view: { attachmentId: string | null; zoom: number } }[] = [];
    follower.on(S.view, (e) => seen.push(e));
    const closed = { ...VIEW, attachmentId: null };
    expect(await request(presenter, C.viewUpdate, { sessionId, view: closed })).toMatchObject({
      ok: true,
    });
    for (let round = 1; round <= 5; round++) {
      // The first opens the file (a share: checked, consented, audited — several queries), the
      // second closes it again (two queries): handled side by side, the second landed first.
      const acks = await Promise.all([
        request(presenter, C.viewUpdate, { sessionId, view: { ...VIEW, attachmentId } }),
        request(presenter, C.viewUpdate, { sessionId, view: { ...closed, zoom: round } }),
      ]);
      expect(acks.map((a) => a.ok)).toEqual([true, true]);
      const [stored] = await t.sql<{ view: { attachmentId: string | null; zoom: number } }>(
        `SELECT view FROM session_views WHERE session_id = $1`,
        [sessionId],
      );
      expect(stored.view).toMatchObject({ attachmentId: null, zoom: round });
      const last = (e: (typeof seen)[number]) =>
        e.view.attachmentId === null && e.view.zoom === round;
      for (let waited = 0; !seen.some(last) && waited < 3000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100)); // an overtaken update would come now
      expect(seen.at(-1)?.view).toMatchObject({ attachmentId: null, zoom: round });
      expect(seen.at(-2)?.view).toMatchObject({ attachmentId });
    }
  });

  it('annotations are saved with the attachment, once per client id', async () => {
    const s = await connect('specialist1@central-a.demo');
    await enter(s);
    const annotation = {
      sessionId,
      attachmentId,
      clientId: randomUUID(),
      page: 1,
      shape: { type: 'ellipse', center: [0.3, 0.4], rx: 0.05, ry: 0.08 },
    };
    const a1 = await request(s, C.annotationAdd, annotation);
    const a2 = await request(s, C.annotationAdd, annotation);
    expect(a1).toMatchObject({ ok: true, data: { attachmentId, shape: annotation.shape } });
    expect(a2).toEqual(a1);
    const res = await t
      .http()
      .get(`/api/sessions/${sessionId}/annotations`)
      .query({ attachmentId })
      .set(bearer(t.tokens['requester@district-1.demo']))
      .expect(200);
    expect(res.body.items).toHaveLength(1);
  });

  it('measurements (distance, angle) are annotations: saved, sent to the others, checked', async () => {
    const drawer = await connect('specialist1@central-a.demo');
    const other = await connect('requester@district-1.demo');
    await enter(drawer);
    await enter(other);
    const shapes = [
      { type: 'distance', from: [0.1, 0.2], to: [0.6, 0.2] },
      { type: 'angle', a: [0.2, 0.2], vertex: [0.5, 0.5], b: [0.8, 0.5] },
    ];
    for (const shape of shapes) {
      const arrived = new Promise<{ shape: unknown }>((resolve) =>
        other.once(S.annotation, resolve),
      );
      const ack = await request(drawer, C.annotationAdd, {
        sessionId,
        attachmentId,
        clientId: randomUUID(),
        shape,
      });
      expect(ack).toMatchObject({ ok: true, data: { shape } });
      expect((await arrived).shape).toEqual(shape);
    }
    const res = await t
      .http()
      .get(`/api/sessions/${sessionId}/annotations`)
      .query({ attachmentId })
      .set(bearer(t.tokens['requester@district-1.demo']))
      .expect(200);
    const types = res.body.items.map((a: { shape: { type: string } }) => a.shape.type);
    expect(types).toEqual(expect.arrayContaining(['distance', 'angle']));
    // A point off the image, a missing vertex: refused, naming the field.
    for (const [shape, field] of [
      [{ type: 'distance', from: [0.1, 0.2], to: [1.5, 0.2] }, 'shape.to'],
      [{ type: 'angle', a: [0.2, 0.2], b: [0.8, 0.5] }, 'shape.vertex'],
    ] as const)
      expect(
        await request(drawer, C.annotationAdd, {
          sessionId,
          attachmentId,
          clientId: randomUUID(),
          shape,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'invalid_message', message: expect.stringContaining(field) },
      });
  });

  it('malformed, unknown and oversized events get error acks; the gateway keeps serving', async () => {
    const s = await connect('specialist2@central-a.demo');
    await enter(s);
    expect(await request(s, C.chatSend, 'garbage')).toMatchObject({
      ok: false,
      error: { code: 'invalid_message' },
    });
    expect(await request(s, C.chatSend, { sessionId, clientId: 'nope', text: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_message', message: expect.stringContaining('clientId') },
    });
    expect(
      await request(s, C.viewUpdate, { sessionId, view: { attachmentId, zoom: 1e9 } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    expect(await request(s, 'drop:tables', { sessionId })).toMatchObject({
      ok: false,
      error: { code: 'invalid_message' },
    });
    const big = 'x'.repeat(COLLAB_LIMITS.maxEventBytes + 10);
    expect(
      await request(s, C.chatSend, { sessionId, clientId: randomUUID(), text: big }),
    ).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    s.emit(C.chatSend, { nonsense: true }); // no ack callback: ignored, no crash
    s.emit(C.enter);
    const ok = await request<ChatMessage>(s, C.chatSend, {
      sessionId,
      clientId: randomUUID(),
      text: 'vẫn hoạt động',
    });
    expect(ok).toMatchObject({ ok: true, data: { text: 'vẫn hoạt động' } });
    const other = await connect('specialist1@central-a.demo');
    expect((await enter(other)).ok).toBe(true);
  });

  it('a frame beyond the transport limit (1 MB) drops only that socket', async () => {
    const abuser = await connect('specialist1@central-a.demo');
    const dropped = new Promise<string>((resolve) =>
      abuser.once('disconnect', (reason) => resolve(reason)),
    );
    abuser.io.reconnection(false);
    abuser.emit(C.chatSend, { sessionId, clientId: randomUUID(), text: 'x'.repeat(2_000_000) });
    expect(await dropped).toMatch(/transport (close|error)/);
    const other = await connect('specialist2@central-a.demo');
    expect((await enter(other)).ok).toBe(true);
  });

  it('rate-limits a flooding socket without disconnecting it', async () => {
    const s = await connect('coordinator@central-a.demo');
    await enter(s);
    const acks = await Promise.all(
      Array.from({ length: 80 }, () => request(s, C.leave, { sessionId: randomUUID() })),
    );
    const limited = acks.filter((a) => !a.ok && a.error.code === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await enter(s)).ok).toBe(true);
    expect(s.connected).toBe(true);
  });
});
