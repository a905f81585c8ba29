import { createHmac, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createTokenIssuer } from '../../test/support/tokens';
import { verifyJoinToken } from './join-token';

describe('verifyJoinToken', () => {
  const issuer = createTokenIssuer();
  const other = createTokenIssuer();
  const sid = randomUUID();

  it('accepts a token signed by the API key and returns its claims', () => {
    const v = verifyJoinToken(issuer.sign({ sid }), issuer.publicPem);
    expect(v.claims.sid).toBe(sid);
    expect(v.expired).toBe(false);
  });

  it.each([
    ['missing', () => undefined, /missing/],
    ['expired', () => issuer.signExpired({ sid }), /expired/],
    ['signed by another key', () => other.sign({ sid }), /rejected/],
    ['tampered', () => tamper(issuer.sign({ sid })), /rejected/],
    ['HS256 with the public key as secret', () => hs256(issuer.publicPem, sid), /rejected/],
  ])('refuses a %s token', (_name, make, message) => {
    expect(() => verifyJoinToken(make(), issuer.publicPem)).toThrow(message);
  });

  it('refuses claims outside the shared schema', () => {
    const token = issuer.sign({ sid: 'not-a-uuid' });
    expect(() => verifyJoinToken(token, issuer.publicPem)).toThrow(/claims invalid: sid/);
  });

  it('lets an expired token through only when asked (resume)', () => {
    const v = verifyJoinToken(issuer.signExpired({ sid }), issuer.publicPem, {
      allowExpired: true,
    });
    expect(v.expired).toBe(true);
  });
});

function tamper(token: string): string {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
  payload.sid = randomUUID();
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
}

function hs256(secret: string, sid: string): string {
  try {
    return jwt.sign({ sid }, secret, {
      algorithm: 'HS256',
      issuer: 'caunoi-api',
      audience: 'caunoi-sfu',
      expiresIn: 60,
    });
  } catch {
    // jsonwebtoken 9 refuses to use an asymmetric key as an HMAC secret; forge it by hand.
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sid, iss: 'caunoi-api', aud: 'caunoi-sfu', exp: now + 60 })}`;
    const sig = createHmac('sha256', secret).update(head).digest('base64url');
    return `${head}.${sig}`;
  }
}
