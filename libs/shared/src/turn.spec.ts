import { createHmac } from 'node:crypto';
import { TurnUrlsSchema, turnIceServer } from './turn';

describe('TURN REST API credentials', () => {
  it('username is <expiry>:<userId>, credential base64(HMAC-SHA1(secret, username))', async () => {
    const s = await turnIceServer(
      { urls: ['turn:turn.example.vn:3478?transport=udp'], secret: 'bí-mật' },
      'user-1',
      1_900_000_000.2,
    );
    expect(s.username).toBe('1900000001:user-1');
    expect(s.credential).toBe(
      createHmac('sha1', 'bí-mật').update('1900000001:user-1').digest('base64'),
    );
    expect(s.urls).toEqual(['turn:turn.example.vn:3478?transport=udp']);
  });

  it('TURN_URLS takes comma-separated turn:/turns: URLs and names a bad one', () => {
    expect(
      TurnUrlsSchema.parse('turn:a.vn:3478?transport=udp, turns:a.vn:443?transport=tcp'),
    ).toEqual(['turn:a.vn:3478?transport=udp', 'turns:a.vn:443?transport=tcp']);
    expect(TurnUrlsSchema.safeParse('stun:a.vn').success).toBe(false);
    expect(TurnUrlsSchema.safeParse(' , ').success).toBe(false);
  });
});
