import { loadConfig } from './env.schema';

const base = { DATABASE_URL: 'postgres://u@localhost/db', AUTH_JWT_SECRET: 'x'.repeat(32) };

describe('environment', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 2592000,
      MAX_ATTACHMENT_BYTES: 50 * 1024 * 1024,
      SEED_DEMO: false,
      DEMO_PASSWORD: 'CauNoi#2026',
      JOIN_TOKEN_TTL_SECONDS: 120,
      SFU_PUBLIC_URL: 'http://localhost:4000',
      ICE_SERVERS: [],
    });
  });

  it('names each bad variable in one error', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short', PORT: 'eighty' })).toThrow(
      /DATABASE_URL[\s\S]*AUTH_JWT_SECRET|AUTH_JWT_SECRET[\s\S]*DATABASE_URL/,
    );
    expect(() => loadConfig({ ...base, ICE_SERVERS: '[{' })).toThrow(
      /ICE_SERVERS: must be a JSON array/,
    );
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('parses ICE servers, CORS origins and SEED_DEMO', () => {
    const c = loadConfig({
      ...base,
      ICE_SERVERS: '[{"urls":"turn:turn.example:3478","username":"u","credential":"p"}]',
      CORS_ORIGINS: 'http://a, http://b',
      SEED_DEMO: 'true',
    });
    expect(c.ICE_SERVERS[0]).toMatchObject({ urls: 'turn:turn.example:3478' });
    expect(c.CORS_ORIGINS).toEqual(['http://a', 'http://b']);
    expect(c.SEED_DEMO).toBe(true);
  });

  it('PUBLIC_URL puts the SFU behind the one origin unless SFU_PUBLIC_URL says otherwise', () => {
    const shared = loadConfig({ ...base, PUBLIC_URL: 'https://caunoi.benhvien.vn:8443/' });
    expect(shared.SFU_PUBLIC_URL).toBe('https://caunoi.benhvien.vn:8443');
    expect(shared.SFU_PUBLIC_PATH).toBe('/sfu/socket.io');
    expect(shared.CORS_ORIGINS).toContain('https://caunoi.benhvien.vn:8443');
    const own = loadConfig({
      ...base,
      PUBLIC_URL: 'https://caunoi.benhvien.vn',
      SFU_PUBLIC_URL: 'https://sfu.benhvien.vn',
    });
    expect([own.SFU_PUBLIC_URL, own.SFU_PUBLIC_PATH]).toEqual([
      'https://sfu.benhvien.vn',
      undefined,
    ]);
    expect(loadConfig(base).SFU_PUBLIC_PATH).toBeUndefined();
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'caunoi.vn' })).toThrow(/PUBLIC_URL/);
  });

  it('keeps closed records at least 10 years', () => {
    expect(loadConfig(base).RETENTION_YEARS).toBe(10);
    expect(loadConfig({ ...base, RETENTION_YEARS: '15' }).RETENTION_YEARS).toBe(15);
    expect(() => loadConfig({ ...base, RETENTION_YEARS: '5' })).toThrow(/RETENTION_YEARS/);
  });

  it('requires MFA of admins and coordinators unless on the demo network or told otherwise', () => {
    expect(loadConfig(base).MFA_REQUIRED_ROLES).toEqual(['admin', 'coordinator']);
    expect(loadConfig({ ...base, SEED_DEMO: 'true' }).MFA_REQUIRED_ROLES).toEqual([]);
    expect(loadConfig({ ...base, MFA_REQUIRED_ROLES: 'none' }).MFA_REQUIRED_ROLES).toEqual([]);
    expect(loadConfig({ ...base, MFA_REQUIRED_ROLES: 'specialist' }).MFA_REQUIRED_ROLES).toEqual([
      'specialist',
    ]);
    expect(() => loadConfig({ ...base, MFA_REQUIRED_ROLES: 'root' })).toThrow(/MFA_REQUIRED_ROLES/);
  });

  it('trusts only loopback as a proxy and hides the API docs in production by default', () => {
    expect(loadConfig(base)).toMatchObject({ TRUST_PROXY: 'loopback', API_DOCS: true });
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).API_DOCS).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', API_DOCS: 'true' }).API_DOCS).toBe(true);
  });
});
