/**
 * A room on the real SFU for a session the browser suites stub: the page's own user, and the
 * session's join answered in the browser with a token signed by the stack's key (as the API does).
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { Stack } from './stack.ts';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken') as { sign: (p: object, k: string, o: object) => string };

export interface SignedInUser {
  id: string;
  fullName: string;
  roles: string[];
  facilityId: string | null;
}

/** Who is signed in: the access token is in page memory only; the refresh cookie answers. */
export async function signedInUser(page: Page): Promise<SignedInUser> {
  return page.evaluate(
    async () =>
      (
        await (
          await fetch('/api/auth/refresh', {
            method: 'POST',
            headers: { 'x-caunoi-csrf': '1', 'content-type': 'application/json' },
            body: '{}',
          })
        ).json()
      ).user,
  );
}

/**
 * `POST /sessions/:id/join` answered with a two-minute join token for `me` at a facility named
 * `site`; `claims` adds to the token (a training session's kind and presenter).
 */
export async function stubJoin(
  page: Page,
  stack: Stack,
  sessionId: string,
  me: SignedInUser,
  facility: { id: string; name: string },
  claims: Record<string, unknown> = {},
): Promise<void> {
  await page.route(`**/api/sessions/${sessionId}/join`, (r) =>
    r.fulfill({
      json: {
        token: jwt.sign(
          {
            sub: me.id,
            sid: sessionId,
            name: me.fullName,
            role: me.roles[0],
            facility,
            moderator: false,
            ...claims,
          },
          stack.joinPrivateKey,
          { algorithm: 'ES256', issuer: 'caunoi-api', audience: 'caunoi-sfu', expiresIn: 120 },
        ),
        sfuUrl: stack.sfuUrl,
        iceServers: [],
        expiresAt: new Date(Date.now() + 120_000).toISOString(),
      },
    }),
  );
}
