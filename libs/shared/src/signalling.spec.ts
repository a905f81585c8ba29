import { SignallingRequestSchemas } from './signalling';

describe('signalling join', () => {
  it('refuses capabilities without codecs (such a peer could never consume)', () => {
    expect(SignallingRequestSchemas.join.safeParse({ rtpCapabilities: {} }).success).toBe(false);
    expect(
      SignallingRequestSchemas.join.safeParse({ rtpCapabilities: { codecs: [] } }).success,
    ).toBe(false);
  });
  it('accepts a device capability object as mediasoup-client produces it', () => {
    const caps = {
      codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
      headerExtensions: [],
    };
    const r = SignallingRequestSchemas.join.safeParse({
      displayName: 'Trạm Y tế xã 1',
      rtpCapabilities: caps,
    });
    expect(r.success).toBe(true);
    expect(r.data?.rtpCapabilities.headerExtensions).toEqual([]);
  });
});
