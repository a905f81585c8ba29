import { DtlsFingerprintSchema } from '@caunoi/shared';
import { certificateFingerprints, dtlsCertificate, sameCertificate } from './dtls-certificate';

const SHA256 = Array.from({ length: 32 }, (_, i) => (i * 5).toString(16).padStart(2, '0')).join(
  ':',
);
const SHA1 = Array.from({ length: 20 }, (_, i) => (i * 3).toString(16).padStart(2, '0')).join(':');

function certificate(fingerprints: RTCDtlsFingerprint[], expires = Date.now() + 30 * 86400_000) {
  return { expires, getFingerprints: () => fingerprints } as unknown as RTCCertificate;
}

describe('the receive transport certificate', () => {
  it('gives the fingerprints in the form the join takes, sha-256 first', () => {
    const got = certificateFingerprints(
      certificate([
        { algorithm: 'sha-1', value: SHA1 },
        { algorithm: 'SHA-256', value: SHA256 },
        { algorithm: 'md5', value: 'AA:BB' },
      ]),
    );
    expect(got).toEqual([
      { algorithm: 'sha-256', value: SHA256.toUpperCase() },
      { algorithm: 'sha-1', value: SHA1.toUpperCase() },
    ]);
    for (const f of got) expect(DtlsFingerprintSchema.safeParse(f).success).toBe(true);
  });

  it('gives none where the browser cannot tell them', () => {
    expect(certificateFingerprints({ expires: 0 } as unknown as RTCCertificate)).toEqual([]);
  });

  it('tells whether the browser used that certificate', () => {
    const given = [{ algorithm: 'sha-256' as const, value: SHA256.toUpperCase() }];
    expect(sameCertificate(given, [{ algorithm: 'sha-256', value: SHA256 }])).toBe(true);
    expect(sameCertificate(given, [{ algorithm: 'sha-256', value: SHA1 }])).toBe(false);
    expect(sameCertificate(given, [{ algorithm: 'sha-1', value: SHA256 }])).toBe(false);
    expect(sameCertificate(given, undefined)).toBe(false);
  });

  describe('made once, renewed near its end', () => {
    const made: number[] = [];
    let expiresIn = 30 * 86400_000;
    beforeAll(() => {
      (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection = {
        generateCertificate: async () => {
          made.push(Date.now());
          return certificate([{ algorithm: 'sha-256', value: SHA256 }], Date.now() + expiresIn);
        },
      };
    });
    afterAll(() => delete (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection);

    it('serves every join of the page with one certificate until it nears its end', async () => {
      const first = await dtlsCertificate();
      expect(first?.fingerprints).toEqual([{ algorithm: 'sha-256', value: SHA256.toUpperCase() }]);
      expect(await dtlsCertificate()).toBe(first);
      expect(made).toHaveLength(1);
      expiresIn = 3600_000; // the next one made will be near its end at once
      (first!.certificate as { expires: number }).expires = Date.now() + 3600_000;
      const renewed = await dtlsCertificate();
      expect(renewed).not.toBe(first);
      expect(made).toHaveLength(2);
    });
  });
});
