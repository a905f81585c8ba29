import { bearer, startTestApp, TestApp } from './support/test-app';

describe('facilities, support links and users', () => {
  let t: TestApp;
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists facilities of every level and filters by level', async () => {
    const all = await t
      .http()
      .get('/api/facilities')
      .set(bearer(t.tokens['requester@commune-1.demo']))
      .expect(200);
    expect(new Set(all.body.items.map((f: { level: string }) => f.level))).toEqual(
      new Set(['central', 'provincial', 'district', 'commune']),
    );
    const central = await t
      .http()
      .get('/api/facilities')
      .query({ level: 'central' })
      .set(admin())
      .expect(200);
    expect(central.body.items.map((f: { name: string }) => f.name).sort()).toEqual([
      'Bệnh viện Trung ương A',
      'Bệnh viện Trung ương B',
    ]);
  });

  it('GET /facilities/:id returns its support links both ways', async () => {
    const res = await t
      .http()
      .get(`/api/facilities/${t.facilityIds['TYT-X1']}`)
      .set(admin())
      .expect(200);
    expect(
      res.body.supportedBy.map((l: { facility: { code: string } }) => l.facility.code).sort(),
    ).toEqual(['BV-TW-A', 'TTYT-H1']);
    const a = await t
      .http()
      .get(`/api/facilities/${t.facilityIds['BV-TW-A']}`)
      .set(admin())
      .expect(200);
    expect(
      a.body.supports.find((l: { facility: { code: string } }) => l.facility.code === 'BVDK-PT')
        .kind,
    ).toBe('satellite');
  });

  it('admin creates a facility and links it; the new link lets its requester address the supporter', async () => {
    const f = await t
      .http()
      .post('/api/facilities')
      .set(admin())
      .send({
        code: 'TYT-HL',
        name: 'Trạm Y tế xã Hương Lung',
        province: 'Phú Thọ',
        level: 'commune',
      })
      .expect(201);
    expect(f.body.id).toBeDefined();
    const link = await t
      .http()
      .post('/api/support-links')
      .set(admin())
      .send({ supporterId: t.facilityIds['TTYT-H1'], supportedId: f.body.id, kind: 'mentoring' })
      .expect(201);
    await t
      .http()
      .post('/api/support-links')
      .set(admin())
      .send({ supporterId: t.facilityIds['TTYT-H1'], supportedId: f.body.id, kind: 'mentoring' })
      .expect(409);
    await t.http().delete(`/api/support-links/${link.body.id}`).set(admin()).expect(204);
    await t.http().delete(`/api/support-links/${link.body.id}`).set(admin()).expect(404);
  });

  it('admin renames a facility; a malformed id is 400 naming the parameter', async () => {
    const res = await t
      .http()
      .patch(`/api/facilities/${t.facilityIds['TYT-TP']}`)
      .set(admin())
      .send({ name: 'Trạm Y tế xã Tân Phú (cơ sở 2)' })
      .expect(200);
    expect(res.body).toMatchObject({
      code: 'TYT-TP',
      name: 'Trạm Y tế xã Tân Phú (cơ sở 2)',
      level: 'commune',
    });
    const bad = await t
      .http()
      .patch('/api/facilities/not-a-uuid')
      .set(admin())
      .send({ name: 'Xx' })
      .expect(400);
    expect(bad.body.details).toEqual([{ path: 'id', message: 'Invalid UUID' }]);
    await t
      .http()
      .patch('/api/facilities/00000000-0000-4000-8000-000000000000')
      .set(admin())
      .send({ name: 'Xx' })
      .expect(404);
  });

  it('admin sets, changes and clears a facility region (SFU placement prefers it); a wrong region is 400 naming the field', async () => {
    const created = await t
      .http()
      .post('/api/facilities')
      .set(admin())
      .send({
        code: 'BV-CR-S',
        name: 'Bệnh viện Chợ Rẫy (thử)',
        province: 'TP HCM',
        level: 'central',
        region: 'south',
      })
      .expect(201);
    expect(created.body.region).toBe('south');
    const id = created.body.id as string;
    const moved = await t
      .http()
      .patch(`/api/facilities/${id}`)
      .set(admin())
      .send({ region: 'central' })
      .expect(200);
    expect(moved.body).toMatchObject({ code: 'BV-CR-S', region: 'central', level: 'central' });
    // A patch that does not name the region keeps it; an explicit null clears it.
    await t
      .http()
      .patch(`/api/facilities/${id}`)
      .set(admin())
      .send({ province: 'Huế' })
      .expect(200);
    expect((await t.http().get(`/api/facilities/${id}`).set(admin()).expect(200)).body.region).toBe(
      'central',
    );
    const cleared = await t
      .http()
      .patch(`/api/facilities/${id}`)
      .set(admin())
      .send({ region: null })
      .expect(200);
    expect(cleared.body.region).toBeNull();
    const [row] = await t.sql(`SELECT region FROM facilities WHERE id = $1`, [id]);
    expect(row.region).toBeNull();
    const bad = await t
      .http()
      .patch(`/api/facilities/${id}`)
      .set(admin())
      .send({ region: 'mekong' })
      .expect(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['region']);
    const listed = await t.http().get('/api/facilities').set(admin()).expect(200);
    const items = (listed.body.items ?? listed.body) as { code: string; region: unknown }[];
    expect(items.find((f) => f.code === 'BV-CR-S')).toMatchObject({ region: null });
  });

  it('GET /users/:id returns the account without secrets', async () => {
    const res = await t
      .http()
      .get(`/api/users/${t.userIds['specialist2@central-a.demo']}`)
      .set(admin())
      .expect(200);
    expect(res.body).toMatchObject({
      email: 'specialist2@central-a.demo',
      specialty: 'chẩn đoán hình ảnh',
      licenseNumber: '002387/BYT-CCHN',
    });
    expect(res.body.passwordHash).toBeUndefined();
  });

  it('refuses a support link that runs up the tiers (400, SPEC lists no 422)', async () => {
    const res = await t
      .http()
      .post('/api/support-links')
      .set(admin())
      .send({
        supporterId: t.facilityIds['TYT-X1'],
        supportedId: t.facilityIds['BV-TW-A'],
        kind: 'mentoring',
      })
      .expect(400);
    expect(res.body.message).toContain('commune facility cannot support a central facility');
    expect(res.body.details).toEqual([
      { path: 'supportedId', message: expect.stringContaining('cannot support') },
    ]);
  });

  it('validates facility bodies naming fields', async () => {
    const res = await t
      .http()
      .post('/api/facilities')
      .set(admin())
      .send({ code: 'bad code', level: 'ward' })
      .expect(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'code',
      'level',
      'name',
      'province',
    ]);
  });

  it('non-admins cannot manage the network (403)', async () => {
    await t
      .http()
      .post('/api/facilities')
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .send({ code: 'X-1', name: 'Xx', province: 'Yy', level: 'commune' })
      .expect(403);
    await t
      .http()
      .post('/api/users')
      .set(bearer(t.tokens['requester@district-1.demo']))
      .send({})
      .expect(403);
  });

  it('admin creates a specialist with a licence number, who can then log in', async () => {
    const res = await t
      .http()
      .post('/api/users')
      .set(admin())
      .send({
        email: 'bs.nam@central-a.demo',
        password: 'mat-khau-dai-du',
        fullName: 'BS.CKII Võ Hoài Nam',
        roles: ['specialist'],
        facilityId: t.facilityIds['BV-TW-A'],
        specialty: 'tim mạch',
        licenseNumber: '003456/BYT-CCHN',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      roles: ['specialist'],
      licenseNumber: '003456/BYT-CCHN',
      active: true,
    });
    expect(res.body.passwordHash).toBeUndefined();
    await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'bs.nam@central-a.demo', password: 'mat-khau-dai-du' })
      .expect(200);

    await t
      .http()
      .patch(`/api/users/${res.body.id}`)
      .set(admin())
      .send({ active: false })
      .expect(200);
    await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'bs.nam@central-a.demo', password: 'mat-khau-dai-du' })
      .expect(401);
  });

  it('a specialist without a licence number, or a clinician without a facility, is refused (400, SPEC lists no 422)', async () => {
    const base = {
      password: 'mat-khau-dai-du',
      fullName: 'Người Dùng',
      facilityId: t.facilityIds['BV-TW-A'],
    };
    const r1 = await t
      .http()
      .post('/api/users')
      .set(admin())
      .send({ ...base, email: 'a@x.demo', roles: ['specialist'] })
      .expect(400);
    expect(r1.body.message).toContain('licenseNumber');
    expect(r1.body.details).toEqual([
      { path: 'licenseNumber', message: 'Required for specialists' },
    ]);
    const r2 = await t
      .http()
      .post('/api/users')
      .set(admin())
      .send({ ...base, email: 'b@x.demo', roles: ['requester'], facilityId: null })
      .expect(400);
    expect(r2.body.message).toContain('facilityId');
  });

  it('a duplicate e-mail is 409', async () => {
    await t
      .http()
      .post('/api/users')
      .set(admin())
      .send({
        email: 'ADMIN@caunoi.demo',
        password: 'mat-khau-dai-du',
        fullName: 'Trùng',
        roles: ['admin'],
        facilityId: null,
      })
      .expect(409);
  });

  it('coordinators list users of a facility to invite; the list carries no password hashes', async () => {
    const res = await t
      .http()
      .get('/api/users')
      .query({ facilityId: t.facilityIds['BV-TW-A'], role: 'specialist' })
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .expect(200);
    expect(res.body.items.map((u: { email: string }) => u.email).sort()).toEqual([
      'specialist1@central-a.demo',
      'specialist2@central-a.demo',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('$2');
  });

  it('GET /users?q= matches name or e-mail without diacritics or case (đ = d), wildcards literal, limited', async () => {
    const emails = async (query: Record<string, string | number>) =>
      (await t.http().get('/api/users').query(query).set(admin()).expect(200)).body.items
        .map((u: { email: string }) => u.email)
        .sort();
    expect(await emails({ q: 'tran van minh' })).toEqual(['specialist1@central-a.demo']);
    expect(await emails({ q: 'NGUYEN thi' })).toEqual(['coordinator@central-a.demo']);
    expect(await emails({ q: 'dang van' })).toEqual(['coordinator@central-b.demo']);
    expect(await emails({ q: 'Đặng' })).toEqual(['coordinator@central-b.demo']);
    expect(await emails({ q: 'central-B.DEMO' })).toEqual(['coordinator@central-b.demo']);
    expect(await emails({ q: 'SPECIALIST', role: 'specialist' })).toEqual([
      'specialist1@central-a.demo',
      'specialist2@central-a.demo',
    ]);
    expect(await emails({ q: '%' })).toEqual([]);
    expect(await emails({ q: 'central_a' })).toEqual([]);
    expect(await emails({ q: 'central-a', limit: 1 })).toHaveLength(1);
    const long = await t
      .http()
      .get('/api/users')
      .query({ q: 'x'.repeat(101) })
      .set(admin())
      .expect(400);
    expect(long.body.details[0].path).toBe('q');
  });
});

describe('reports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts sessions per facility and month (seeded: three sessions with central A and district 1/commune 1)', async () => {
    const res = await t
      .http()
      .get('/api/reports/sessions-per-facility')
      .set(bearer(t.tokens['admin@caunoi.demo']))
      .expect(200);
    const total = (code: string) =>
      res.body.items
        .filter((r: { facilityId: string }) => r.facilityId === t.facilityIds[code])
        .reduce((n: number, r: { sessions: number }) => n + r.sessions, 0);
    expect(total('BV-TW-A')).toBe(3);
    expect(total('TTYT-H1')).toBe(2);
    expect(total('TYT-X1')).toBe(1);
    expect(res.body.items[0].month).toMatch(/^\d{4}-\d{2}$/);
  });

  it('reports the median time from submission to session by urgency', async () => {
    const res = await t
      .http()
      .get('/api/reports/time-to-session')
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .expect(200);
    const urgencies = res.body.items.map((r: { urgency: string }) => r.urgency);
    expect(urgencies).toEqual(['emergency', 'urgent', 'routine']);
    for (const r of res.body.items) {
      expect(r.consultations).toBe(1);
      expect(typeof r.medianHours).toBe('number');
    }
  });

  it('a coordinator only sees their own facility; central B has no sessions', async () => {
    const res = await t
      .http()
      .get('/api/reports/time-to-session')
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(200);
    expect(res.body).toEqual({ items: [] });
  });

  it('requesters cannot read reports (403)', async () => {
    await t
      .http()
      .get('/api/reports/sessions-per-facility')
      .set(bearer(t.tokens['requester@district-1.demo']))
      .expect(403);
  });
});
