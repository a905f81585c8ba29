import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './config';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ JOIN_TOKEN_PUBLIC_KEY: pem });
    expect(c.port).toBe(4000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.rtc).toEqual({ basePort: 40000, listenIp: '0.0.0.0', announcedAddress: '127.0.0.1' });
    expect(c.workers).toBe(os.cpus().length);
    expect(c.reconnectGraceMs).toBe(30_000);
    expect(c.iceServers).toEqual([]);
    expect(c.attendance).toEqual({ apiUrl: undefined, serviceToken: undefined });
  });

  it('reads the key from a file, ICE servers from JSON, and trims the API URL', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sfu-config-'));
    const file = path.join(dir, 'join.pub.pem');
    writeFileSync(file, pem);
    const c = loadConfig({
      JOIN_TOKEN_PUBLIC_KEY_FILE: file,
      ICE_SERVERS:
        '[{"urls":"turn:turn.example.vn:3478?transport=tcp","username":"u","credential":"p"}]',
      API_URL: 'http://api:3000/',
      SFU_SERVICE_TOKEN: 'secret',
      SFU_WORKERS: '3',
      SFU_RECONNECT_GRACE_SECONDS: '2.5',
    });
    expect(c.joinTokenPublicKey).toBe(pem);
    expect(c.iceServers[0]).toEqual({
      urls: 'turn:turn.example.vn:3478?transport=tcp',
      username: 'u',
      credential: 'p',
    });
    expect(c.attendance).toEqual({ apiUrl: 'http://api:3000', serviceToken: 'secret' });
    expect(c.workers).toBe(3);
    expect(c.reconnectGraceMs).toBe(2500);
  });

  it.each([
    [{ JOIN_TOKEN_PUBLIC_KEY: pem, SFU_PORT: 'abc' }, 'SFU_PORT'],
    [{ JOIN_TOKEN_PUBLIC_KEY: pem, SFU_WORKERS: '0' }, 'SFU_WORKERS'],
    [{ JOIN_TOKEN_PUBLIC_KEY: pem, ICE_SERVERS: 'turn:x' }, 'ICE_SERVERS'],
    [{ JOIN_TOKEN_PUBLIC_KEY: pem, ICE_SERVERS: '[{"user":"x"}]' }, 'ICE_SERVERS'],
    [{ JOIN_TOKEN_PUBLIC_KEY: pem, API_URL: 'not a url' }, 'API_URL'],
    [{ JOIN_TOKEN_PUBLIC_KEY: pem, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{}, 'JOIN_TOKEN_PUBLIC_KEY'],
    [{ JOIN_TOKEN_PUBLIC_KEY: 'abc' }, 'JOIN_TOKEN_PUBLIC_KEY'],
    [{ JOIN_TOKEN_PUBLIC_KEY_FILE: '/nonexistent/key.pem' }, 'JOIN_TOKEN_PUBLIC_KEY_FILE'],
  ])('names the bad variable (%j)', (env, name) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });
});
