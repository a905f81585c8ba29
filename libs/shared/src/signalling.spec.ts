import { DtlsFingerprintSchema, SignallingRequestSchemas } from './signalling';

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

describe('DTLS fingerprints in the join', () => {
  const hex = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0'));
  it('takes them in any case and gives them in capitals, as mediasoup compares them', () => {
    const lower = hex.join(':');
    expect(lower).toMatch(/[a-f]/);
    const r = DtlsFingerprintSchema.parse({ algorithm: 'sha-256', value: lower });
    expect(r.value).toBe(lower.toUpperCase());
  });
  it('refuses an unknown hash function or a value that is not hex pairs', () => {
    expect(
      DtlsFingerprintSchema.safeParse({ algorithm: 'md5', value: hex.join(':') }).success,
    ).toBe(false);
    expect(DtlsFingerprintSchema.safeParse({ algorithm: 'sha-256', value: 'zz' }).success).toBe(
      false,
    );
  });
});
