import { z } from 'zod';

/**
 * TURN credentials by the TURN REST API convention (coturn's `use-auth-secret`): the username is
 * `<unix expiry>:<userId>`, the password base64(HMAC-SHA1(secret, username)). The TURN server
 * recomputes it from the shared secret and refuses it after the expiry, so no password is stored
 * and a leaked one stops working by itself. WebCrypto only: the same code runs in the API and SFU.
 */
export interface TurnSettings {
  urls: string[];
  secret: string;
}

/** `TURN_URLS`: comma-separated `turn:`/`turns:` URLs. */
export const TurnUrlsSchema = z
  .string()
  .transform((raw) =>
    raw
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().regex(/^turns?:[^\s]+$/, 'each URL must start with turn: or turns:')).min(1),
  );

export async function turnIceServer(
  turn: TurnSettings,
  userId: string,
  expiresAtSeconds: number,
): Promise<{ urls: string[]; username: string; credential: string }> {
  const username = `${Math.ceil(expiresAtSeconds)}:${userId}`;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(turn.secret),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(username)));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return { urls: turn.urls, username, credential: btoa(binary) };
}
