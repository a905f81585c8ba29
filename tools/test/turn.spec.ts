// The local coturn of `npm start` (tools/lib/turn.mjs): started only with TURN_SECRET and no
// external TURN_URLS; it relays to the SFU's media address and nowhere else on private networks.
import * as turn from '../lib/turn.mjs';

const dir = '/tmp/caunoi-turn-spec';

it('runs only with TURN_SECRET, and not when TURN_URLS names an external server', () => {
  expect(turn.localTurn({}, dir, '192.168.1.20')).toBeNull();
  expect(
    turn.localTurn({ TURN_SECRET: 'x'.repeat(20), TURN_URLS: 'turn:t.vn:3478' }, dir, '1.2.3.4'),
  ).toMatchObject({ spec: null, urls: 'turn:t.vn:3478' });
});

it('relays to the SFU media address only: private ranges denied, that one address allowed', () => {
  if (!turn.turnserverInstalled()) throw new Error('turnserver (Debian coturn) is not installed');
  const t = turn.localTurn({ TURN_SECRET: 's'.repeat(20), TURN_PORT: '3479' }, dir, '192.168.1.20');
  expect(t.urls).toBe('turn:192.168.1.20:3479?transport=udp,turn:192.168.1.20:3479?transport=tcp');
  expect(t.spec.args).toEqual(
    expect.arrayContaining([
      '--use-auth-secret',
      `--static-auth-secret=${'s'.repeat(20)}`,
      '--denied-peer-ip=192.168.0.0-192.168.255.255',
      '--denied-peer-ip=10.0.0.0-10.255.255.255',
      '--denied-peer-ip=172.16.0.0-172.31.255.255',
      '--allowed-peer-ip=192.168.1.20',
      '--listening-port=3479',
    ]),
  );
  expect(t.spec.args).not.toContain('--allow-loopback-peers');
});
