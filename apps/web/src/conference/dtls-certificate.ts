import { DTLS_FINGERPRINT_ALGORITHMS, type DtlsFingerprint } from '@caunoi/shared';

/**
 * The DTLS certificate of our transports, made ahead so that its fingerprints can go in the
 * join (`dtlsFingerprints`): the SFU then connects the transports when it opens them, and the
 * browser's first DTLS flight never waits on a `connectTransport` still in the uplink's queue.
 * One certificate serves every transport of the page (a rejoin, another node); a new one is
 * made when it nears its end. Null where the browser cannot make one or tell its fingerprints
 * (the client then connects its transports the usual way).
 */
export interface DtlsCertificate {
  certificate: RTCCertificate;
  fingerprints: DtlsFingerprint[];
}

const ALGORITHMS = new Set<string>(DTLS_FINGERPRINT_ALGORITHMS);
/** A certificate is replaced this long before it expires (a conference may last hours). */
const RENEW_BEFORE_MS = 24 * 3600_000;

let made: Promise<DtlsCertificate | null> | null = null;

export async function dtlsCertificate(): Promise<DtlsCertificate | null> {
  const current = made ? await made : null;
  if (current && current.certificate.expires - Date.now() > RENEW_BEFORE_MS) return current;
  if (made && !current) return null; // this browser cannot: do not try on every join
  made = generate().catch(() => null);
  return made;
}

async function generate(): Promise<DtlsCertificate | null> {
  const pc = globalThis.RTCPeerConnection;
  if (typeof pc?.generateCertificate !== 'function') return null;
  const certificate = await pc.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
  } as EcKeyGenParams);
  const fingerprints = certificateFingerprints(certificate);
  return fingerprints.length ? { certificate, fingerprints } : null;
}

/** The certificate's fingerprints in the SDP form the SFU takes (sha-256 first). */
export function certificateFingerprints(certificate: RTCCertificate): DtlsFingerprint[] {
  const all = (certificate as { getFingerprints?: () => RTCDtlsFingerprint[] }).getFingerprints?.();
  return (all ?? [])
    .filter((f) => f.algorithm && f.value && ALGORITHMS.has(f.algorithm.toLowerCase()))
    .map((f) => ({
      algorithm: f.algorithm!.toLowerCase() as DtlsFingerprint['algorithm'],
      value: f.value!.toUpperCase(),
    }))
    .sort((a, b) => Number(b.algorithm === 'sha-256') - Number(a.algorithm === 'sha-256'));
}

/** The browser's DTLS parameters carry one of these fingerprints (it used our certificate). */
export function sameCertificate(
  given: DtlsFingerprint[],
  used: Array<{ algorithm?: string; value?: string }> | undefined,
): boolean {
  return (used ?? []).some((u) =>
    given.some(
      (g) => g.algorithm === u.algorithm?.toLowerCase() && g.value === u.value?.toUpperCase(),
    ),
  );
}
