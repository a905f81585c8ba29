import bcrypt from 'bcryptjs';
import { generate } from 'otplib';
import { DataSource } from 'typeorm';
import { createAdmin } from '../src/cli/admin-create';
import { bearer, DEMO_PASSWORD, startTestApp, TestApp } from './support/test-app';

const NEW_PASSWORD = 'Mat-khau-moi-2026';

describe('admin:create, forced password change, password rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_ATTEMPTS: '50' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('admin:create makes an admin whose generated password only opens POST /me/password', async () => {
    const created = await createAdmin(
      t.app.get(DataSource),
      { email: 'root@benhvien.vn', facility: 'BV-TW-A' },
      () => Promise.reject(new Error('not prompted')),
    );
    expect(created.password).toMatch(/^[A-Za-z0-9]{20}$/);
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'root@benhvien.vn', password: created.password })
      .expect(200);
    expect(login.body).toMatchObject({ step: 'password_change', user: { roles: ['admin'] } });
    expect(login.body.accessToken).toBeUndefined();
    expect(login.body.refreshToken).toBeUndefined();
    const limited = bearer(login.body.limitedToken);
    await t.http().get('/api/me').set(limited).expect(401);
    await t.http().get('/api/users').set(limited).expect(401);
    const changed = await t
      .http()
      .post('/api/me/password')
      .set(limited)
      .send({ currentPassword: created.password, newPassword: NEW_PASSWORD })
      .expect(200);
    expect(changed.body.refreshToken).toEqual(expect.any(String));
    await t.http().get('/api/users').set(bearer(changed.body.accessToken)).expect(200);
    // the next sign-in is a normal one
    const again = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'root@benhvien.vn', password: NEW_PASSWORD })
      .expect(200);
    expect(again.body.accessToken).toEqual(expect.any(String));
    const [audit] = await t.sql(
      `SELECT details FROM audit_events WHERE action = 'user.create' AND target_id = $1`,
      [created.id],
    );
    expect(audit).toEqual({ details: { via: 'admin:create' } });
  });

  it('admin:create refuses a duplicate e-mail and an unknown facility', async () => {
    const db = t.app.get(DataSource);
    const never = () => Promise.reject(new Error('not prompted'));
    await expect(createAdmin(db, { email: 'admin@caunoi.demo' }, never)).rejects.toThrow(
      /already exists/,
    );
    await expect(createAdmin(db, { email: 'x@y.vn', facility: 'NOPE' }, never)).rejects.toThrow(
      /No facility/,
    );
  });

  it('a password longer than 72 bytes is refused (400 naming password) — bcrypt would ignore the rest', async () => {
    const long = 'Đ'.repeat(36) + 'a-tail'; // 72 bytes of Đ, then more
    const res = await t
      .http()
      .post('/api/users')
      .set(bearer(t.tokens['admin@caunoi.demo']))
      .send({
        email: 'long@x.demo',
        password: long,
        fullName: 'Mật Khẩu Dài',
        roles: ['admin'],
        facilityId: null,
      })
      .expect(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['password']);
    // An account whose hash was made from a long password (before this rule): a different
    // password sharing the first 72 bytes must not sign in.
    const prefix = 'x'.repeat(72);
    await t.sql(`UPDATE users SET password_hash = $2 WHERE email = $1`, [
      'requester@commune-1.demo',
      await bcrypt.hash(prefix + 'the-real-ending', 10),
    ]);
    const guess = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'requester@commune-1.demo', password: prefix + 'another-ending' })
      .expect(400);
    expect(guess.body.message).toContain('password');
  });

  it('POST /me/password needs the current password and ends the other sign-ins', async () => {
    const email = 'specialist2@central-a.demo';
    const signIn = () =>
      t.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200);
    const a = (await signIn()).body;
    const b = (await signIn()).body;
    const wrong = await t
      .http()
      .post('/api/me/password')
      .set(bearer(a.accessToken))
      .send({ currentPassword: 'not-the-password', newPassword: NEW_PASSWORD })
      .expect(400);
    expect(wrong.body.details[0].path).toBe('currentPassword');
    await t
      .http()
      .post('/api/me/password')
      .set(bearer(a.accessToken))
      .send({ currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD })
      .expect(200, { passwordChanged: true });
    await t.http().post('/api/auth/refresh').send({ refreshToken: b.refreshToken }).expect(401);
    await t.http().get('/api/me').set(bearer(b.accessToken)).expect(401); // at once, not in 15 min
    await t.http().get('/api/me').set(bearer(a.accessToken)).expect(200);
    await t.http().post('/api/auth/refresh').send({ refreshToken: a.refreshToken }).expect(200);
  });

  it('an admin reset revokes every refresh token and forces a change at next sign-in', async () => {
    const email = 'requester@district-1.demo';
    const before = (
      await t.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)
    ).body;
    await t
      .http()
      .patch(`/api/users/${t.userIds[email]}`)
      .set(bearer(t.tokens['admin@caunoi.demo']))
      .send({ password: 'Dat-lai-boi-admin' })
      .expect(200);
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: before.refreshToken })
      .expect(401);
    const after = await t
      .http()
      .post('/api/auth/login')
      .send({ email, password: 'Dat-lai-boi-admin' })
      .expect(200);
    expect(after.body.step).toBe('password_change');
  });

  it('an admin cannot change their own roles (no self-granted clinical role)', async () => {
    const admin = bearer(t.tokens['admin@caunoi.demo']);
    const res = await t
      .http()
      .patch(`/api/users/${t.userIds['admin@caunoi.demo']}`)
      .set(admin)
      .send({ roles: ['admin', 'specialist'], licenseNumber: '009999/BYT-CCHN' })
      .expect(403);
    expect(res.body.message).toMatch(/own roles/);
    const [row] = await t.sql<{ roles: string[] }>(`SELECT roles FROM users WHERE id = $1`, [
      t.userIds['admin@caunoi.demo'],
    ]);
    expect(row.roles).toEqual(['admin']);
  });
});

describe('demo seed under NODE_ENV=production', () => {
  afterEach(() => {
    process.env.NODE_ENV = 'test';
    delete process.env.SEED_DEMO_FORCE;
  });

  it('refuses to seed the published demo accounts unless SEED_DEMO_FORCE=true', async () => {
    await expect(startTestApp({ NODE_ENV: 'production' })).rejects.toThrow(/Refusing to seed/);
    const forced = await startTestApp({ NODE_ENV: 'production', SEED_DEMO_FORCE: 'true' });
    expect(forced.userIds['admin@caunoi.demo']).toEqual(expect.any(String));
    await forced.close();
  });
});

describe('TOTP second factor', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MFA_REQUIRED_ROLES: 'admin,coordinator', LOGIN_MAX_ATTEMPTS: '50' });
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.MFA_REQUIRED_ROLES;
  });

  const login = (email: string) =>
    t.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200);

  it('a coordinator without TOTP gets only enrolment; enrolling finishes the sign-in with 10 recovery codes', async () => {
    const email = 'coordinator@central-a.demo';
    const first = (await login(email)).body;
    expect(first).toMatchObject({ step: 'mfa_enrolment' });
    const limited = bearer(first.limitedToken);
    await t.http().get('/api/consultations').set(limited).expect(401);
    await t.http().post('/api/me/password').set(limited).send({}).expect(401);
    const enrol = await t.http().post('/api/me/mfa/totp').set(limited).expect(200);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    const wrong = await t
      .http()
      .post('/api/me/mfa/totp/verify')
      .set(limited)
      .send({ code: '000000' })
      .expect(400);
    expect(wrong.body.details[0].path).toBe('code');
    const done = await t
      .http()
      .post('/api/me/mfa/totp/verify')
      .set(limited)
      .send({ code: await generate({ secret: enrol.body.secret }) })
      .expect(200);
    expect(done.body.recoveryCodes).toHaveLength(10);
    expect(new Set(done.body.recoveryCodes).size).toBe(10);
    await t.http().get('/api/consultations').set(bearer(done.body.accessToken)).expect(200);
    const stored = await t.sql<{ code_hash: string }>(
      `SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1`,
      [first.user.id],
    );
    expect(stored).toHaveLength(10);
    expect(stored.map((r) => r.code_hash)).not.toContain(done.body.recoveryCodes[0]);

    // Next sign-in: password, then the second factor.
    const challenge = (await login(email)).body;
    expect(challenge).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    await t.http().get('/api/me').set(bearer(challenge.mfaToken)).expect(401);
    await t
      .http()
      .post('/api/auth/mfa')
      .send({ mfaToken: challenge.mfaToken, code: '123456' })
      .expect(401);
    // The code just used cannot be replayed: pretend it is a later time step instead.
    await t.sql(`UPDATE users SET totp_last_step = totp_last_step - 10 WHERE id = $1`, [
      first.user.id,
    ]);
    // The very same string is sent twice: generating it again could cross into the next
    // 30 s step and so be a new, valid code rather than a replay.
    const fresh = await generate({ secret: enrol.body.secret });
    const ok = await t
      .http()
      .post('/api/auth/mfa')
      .send({ mfaToken: challenge.mfaToken, code: fresh })
      .expect(200);
    expect(ok.body.user.email).toBe(email);
    const replay = await t
      .http()
      .post('/api/auth/mfa')
      .send({ mfaToken: challenge.mfaToken, code: fresh })
      .expect(401);
    expect(replay.body.message).toMatch(/not valid/);

    // A recovery code works once.
    const code = done.body.recoveryCodes[3];
    const c2 = (await login(email)).body;
    await t.http().post('/api/auth/mfa').send({ mfaToken: c2.mfaToken, code }).expect(200);
    const c3 = (await login(email)).body;
    await t.http().post('/api/auth/mfa').send({ mfaToken: c3.mfaToken, code }).expect(401);
    const audit = await t.sql<{ action: string }>(
      `SELECT action FROM audit_events WHERE target_id = $1 AND action LIKE 'auth.mfa%' ORDER BY id`,
      [first.user.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'auth.mfa_enrol',
      'auth.mfa_failed',
      'auth.mfa',
      'auth.mfa_failed',
      'auth.mfa',
      'auth.mfa_failed',
    ]);
  });

  it('an admin removes a lost authenticator: sign-ins end, the user enrols again; not on oneself', async () => {
    const email = 'coordinator@central-b.demo';
    const id = t.userIds[email];
    const first = (await login(email)).body;
    const enrol = await t.http().post('/api/me/mfa/totp').set(bearer(first.limitedToken));
    const done = await t
      .http()
      .post('/api/me/mfa/totp/verify')
      .set(bearer(first.limitedToken))
      .send({ code: await generate({ secret: enrol.body.secret }) })
      .expect(200);
    // The admin of this app has no TOTP yet: sign the admin in through enrolment.
    const adminStep = (await login('admin@caunoi.demo')).body;
    const adminEnrol = await t.http().post('/api/me/mfa/totp').set(bearer(adminStep.limitedToken));
    const adminDone = await t
      .http()
      .post('/api/me/mfa/totp/verify')
      .set(bearer(adminStep.limitedToken))
      .send({ code: await generate({ secret: adminEnrol.body.secret }) })
      .expect(200);
    const asAdmin = bearer(adminDone.body.accessToken);
    await t
      .http()
      .patch(`/api/users/${adminDone.body.user.id}`)
      .set(asAdmin)
      .send({ resetSecondFactor: true })
      .expect(403);
    await t
      .http()
      .patch(`/api/users/${id}`)
      .set(asAdmin)
      .send({ resetSecondFactor: true })
      .expect(200);
    await t.http().get('/api/me').set(bearer(done.body.accessToken)).expect(401);
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: done.body.refreshToken })
      .expect(401);
    const [codes] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM mfa_recovery_codes WHERE user_id = $1`,
      [id],
    );
    expect(codes.n).toBe(0);
    expect((await login(email)).body.step).toBe('mfa_enrolment');
  });

  it('roles outside MFA_REQUIRED_ROLES sign in with the password alone (SPEC response)', async () => {
    const res = await login('specialist1@central-a.demo');
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'refreshToken', 'user']);
  });
});
