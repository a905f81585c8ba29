// REST steps of the several-node tests against the launched system: sign-in, a session of
// central A's coordinator and district 1's requester ready to be joined, the join itself.
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'CauNoi#2026';

export interface Call {
  status: number;
  body: Record<string, unknown> & { items?: Record<string, unknown>[] };
}

export async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Call> {
  const res = await fetch(`${base}${path}`, {
    method,
    signal: AbortSignal.timeout(15_000),
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

export async function signIn(base: string, email: string, password = DEMO_PASSWORD) {
  const r = await call(base, 'POST', '/api/auth/login', undefined, { email, password });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.accessToken as string, id: (r.body.user as { id: string }).id };
}

function expectStatus(r: Call, status: number, what: string): Call {
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

export interface People {
  coordinator: { token: string; id: string };
  requester: { token: string; id: string };
}

/**
 * A request from district 1 to central A taken through REST (patient, consent, submit, accept)
 * and booked on day `day` of 2028 for the coordinator and the requester; the coordinator may open
 * its room at once.
 */
export async function bookedSession(base: string, p: People, day: number): Promise<string> {
  const startsAt = Date.parse('2028-02-01T02:00:00Z') + day * 86_400_000;
  return (await bookedCase(base, p, day, startsAt)).sessionId;
}

/** As bookedSession, starting at `startsAt` (ms): with its consultation, for attachments. */
export async function bookedCase(base: string, p: People, day: number, startsAt: number) {
  const facilities = expectStatus(
    await call(base, 'GET', '/api/facilities', p.requester.token),
    200,
    'facilities',
  ).body.items!;
  const central = facilities.find((f) => f.code === 'BV-TW-A')!.id as string;
  const patient = expectStatus(
    await call(base, 'POST', '/api/patients', p.requester.token, {
      fullName: `Bệnh Nhân Cụm ${day}`,
      dateOfBirth: '1966-06-06',
      sex: 'female',
    }),
    201,
    'patient',
  ).body.id as string;
  expectStatus(
    await call(base, 'POST', `/api/patients/${patient}/consents`, p.requester.token, {
      kind: 'teleconsultation',
      granted: true,
    }),
    201,
    'consent',
  );
  const consultationId = expectStatus(
    await call(base, 'POST', '/api/consultations', p.requester.token, {
      patientId: patient,
      targetFacilityId: central,
      specialty: 'hô hấp',
      urgency: 'routine',
      summary: 'Ho kéo dài, sốt nhẹ.',
      question: 'Xin ý kiến chẩn đoán.',
    }),
    201,
    'consultation',
  ).body.id as string;
  expectStatus(
    await call(base, 'POST', `/api/consultations/${consultationId}/submit`, p.requester.token),
    200,
    'submit',
  );
  expectStatus(
    await call(base, 'POST', `/api/consultations/${consultationId}/accept`, p.coordinator.token),
    200,
    'accept',
  );
  const sessionId = expectStatus(
    await call(base, 'POST', '/api/sessions', p.coordinator.token, {
      consultationIds: [consultationId],
      participantIds: [p.coordinator.id, p.requester.id],
      facilityIds: [],
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 3_600_000).toISOString(),
    }),
    201,
    'book',
  ).body.id as string;
  return { sessionId, consultationId };
}

/** Uploads a file to a consultation (multipart, as the web app does); returns its id. */
export async function attach(
  base: string,
  token: string,
  consultationId: string,
  name: string,
  bytes: Buffer,
  type: string,
): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${base}/api/consultations/${consultationId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal: AbortSignal.timeout(15_000),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`attach ${name}: ${res.status} ${body}`);
  return (JSON.parse(body) as { id: string }).id;
}

export async function join(base: string, token: string, sessionId: string) {
  const r = expectStatus(
    await call(base, 'POST', `/api/sessions/${sessionId}/join`, token),
    200,
    'join',
  );
  return { sfuUrl: r.body.sfuUrl as string, token: r.body.token as string };
}
