import type { Socket } from 'socket.io-client';
import type { JoinTokenClaims } from '@caunoi/shared';
import { startTestSfu } from './sfu';
import { createTokenIssuer } from './tokens';
import { connectBot, request } from './bot';

/**
 * A describe block's SFU for signalling-only bots: started before the suite, stopped after it,
 * every bot socket closed. `suite.sfu` is set once `beforeAll` has run.
 */
export function botSuite(env: Record<string, string> = {}) {
  const issuer = createTokenIssuer();
  const open: Socket[] = [];
  const suite = {
    issuer,
    sfu: undefined as unknown as Awaited<ReturnType<typeof startTestSfu>>,
    async bot(auth: Record<string, unknown>): Promise<Socket> {
      const s = await connectBot(suite.sfu.url, auth);
      open.push(s);
      return s;
    },
    /** A bot admitted with a fresh token for `claims` that has joined the room. */
    async joined(claims: Partial<JoinTokenClaims> & { sid: string }) {
      const s = await suite.bot({ token: issuer.sign(claims) });
      const caps = await request(s, 'getRouterRtpCapabilities');
      const joined = await request(s, 'join', { rtpCapabilities: caps.data });
      return { s, caps: caps.data, peerId: joined.data.peerId as string };
    },
  };
  beforeAll(async () => {
    suite.sfu = await startTestSfu(issuer.publicPem, env);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await suite.sfu?.close();
  });
  return suite;
}
