import { HttpStatus } from '@nestjs/common';
import type { ErrorCode, PacsAuthKind } from '@caunoi/shared';
import { Readable } from 'node:stream';
import { ApiException } from '../common/errors';
import { boundaryOf, FirstPartStream, SizeLimit } from './multipart-related';

/** Where a facility's PACS answers and how to sign in (the secret already unsealed). */
export interface PacsEndpoint {
  baseUrl: string;
  authKind: PacsAuthKind;
  username: string | null;
  secret: string | null;
}

/** One DICOM JSON data set (PS3.18 F.2): tag → { vr, Value }. */
export type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

/**
 * A fault of the PACS (or of the way to it), not of our API nor of the caller's input: 424 Failed
 * Dependency with a `pacs_*` code the web turns into advice. Never a 5xx: those stay the sign of
 * our own faults (monitoring, the fuzz suite), and a PACS that is down is not one.
 */
export class PacsFault extends ApiException {
  constructor(code: ErrorCode, message: string) {
    super(HttpStatus.FAILED_DEPENDENCY, message, undefined, code);
  }
}

class Timeout extends Error {}

/**
 * A small DICOMweb client: QIDO-RS searches (JSON) and WADO-RS retrieval of one instance as it
 * is stored (`transfer-syntax=*`: no transcoding, the bytes the PACS holds). Every request has a
 * deadline (for a retrieve: the time to the answer and between two chunks of it), follows no
 * redirect (credentials are not sent elsewhere) and turns every failure into a PacsFault.
 */
export class DicomWebClient {
  constructor(
    private readonly endpoint: PacsEndpoint,
    private readonly timeoutMs: number,
  ) {}

  /** QIDO-RS: `path` below the root (`studies`, `studies/{uid}/series`), JSON data sets. */
  async search(
    path: string,
    params: Record<string, string | string[] | undefined> = {},
  ): Promise<DicomJson[]> {
    const url = this.url(path);
    // Repeated keys (`includefield=a&includefield=b`): not every PACS reads comma lists.
    for (const [k, v] of Object.entries(params))
      for (const one of v === undefined ? [] : [v].flat()) url.searchParams.append(k, one);
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Timeout()), this.timeoutMs);
    try {
      const res = await this.fetch(url, 'application/dicom+json, application/json', ctl);
      if (res.status === 204) return [];
      const text = await res.text().catch((err) => this.fail(err, ctl));
      if (!text.trim()) return [];
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new PacsFault(
          'pacs_bad_answer',
          'The PACS answered a search with something that is not DICOM JSON',
        );
      }
      if (!Array.isArray(body))
        throw new PacsFault(
          'pacs_bad_answer',
          'The PACS answered a search with something that is not a list',
        );
      return body as DicomJson[];
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * WADO-RS retrieve of one instance: a stream of its DICOM bytes that fails (PacsFault) if the
   * PACS stalls, cuts the answer short or sends more than `maxBytes`.
   */
  async retrieveInstance(
    studyUid: string,
    seriesUid: string,
    sopUid: string,
    maxBytes: number,
    onTooLarge: () => Error,
  ): Promise<Readable> {
    const url = this.url(`studies/${studyUid}/series/${seriesUid}/instances/${sopUid}`);
    const ctl = new AbortController();
    let timer = setTimeout(() => ctl.abort(new Timeout()), this.timeoutMs);
    const accept = 'multipart/related; type="application/dicom"; transfer-syntax=*';
    let res: Response;
    try {
      res = await this.fetch(url, accept, ctl);
    } catch (err) {
      clearTimeout(timer);
      throw err;
    }
    const type = res.headers.get('content-type') ?? '';
    const boundary = boundaryOf(type);
    const malformed = (why: string) =>
      new PacsFault('pacs_bad_answer', `The PACS sent an instance we cannot read: ${why}`);
    if (!res.body || (!boundary && !/^application\/dicom/i.test(type))) {
      clearTimeout(timer);
      await res.body?.cancel().catch(() => {});
      throw malformed(`content type "${type.slice(0, 80)}"`);
    }
    const source = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
    // A stall between chunks is a timeout too: the deadline restarts with every chunk.
    source.on('data', () => {
      clearTimeout(timer);
      timer = setTimeout(() => ctl.abort(new Timeout()), this.timeoutMs);
    });
    source.on('close', () => clearTimeout(timer));
    const out = boundary
      ? new FirstPartStream(boundary, maxBytes, onTooLarge, malformed)
      : new SizeLimit(maxBytes, onTooLarge);
    source.on('error', (err) => out.destroy(this.toFault(err, ctl)));
    out.on('error', () => {
      clearTimeout(timer);
      source.destroy();
    });
    return source.pipe(out) as Readable;
  }

  private url(path: string): URL {
    const base = this.endpoint.baseUrl.endsWith('/')
      ? this.endpoint.baseUrl
      : `${this.endpoint.baseUrl}/`;
    return new URL(path, base);
  }

  private headers(accept: string): Record<string, string> {
    const h: Record<string, string> = { Accept: accept };
    const { authKind, username, secret } = this.endpoint;
    if (authKind === 'basic')
      h.Authorization = `Basic ${Buffer.from(`${username ?? ''}:${secret ?? ''}`).toString('base64')}`;
    if (authKind === 'bearer') h.Authorization = `Bearer ${secret ?? ''}`;
    return h;
  }

  private async fetch(url: URL, accept: string, ctl: AbortController): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: this.headers(accept),
        signal: ctl.signal,
        redirect: 'manual',
      });
    } catch (err) {
      throw this.toFault(err, ctl);
    }
    if (res.ok) return res;
    await res.body?.cancel().catch(() => {});
    if (res.status === 401 || res.status === 403)
      throw new PacsFault(
        'pacs_auth_failed',
        `The PACS refused our credentials (HTTP ${res.status}); an administrator should check the facility's PACS settings`,
      );
    if (res.status >= 300 && res.status < 400)
      throw new PacsFault(
        'pacs_bad_answer',
        `The PACS redirected to another address (HTTP ${res.status}); configure the final DICOMweb address`,
      );
    if (res.status === 404)
      throw new PacsFault(
        'pacs_bad_answer',
        'The PACS has no such DICOMweb resource (HTTP 404): check the DICOMweb root URL or the study',
      );
    throw new PacsFault('pacs_bad_answer', `The PACS answered HTTP ${res.status}`);
  }

  private fail(err: unknown, ctl: AbortController): never {
    throw this.toFault(err, ctl);
  }

  private toFault(err: unknown, ctl: AbortController): PacsFault {
    if (err instanceof PacsFault) return err;
    if (ctl.signal.reason instanceof Timeout)
      return new PacsFault(
        'pacs_timeout',
        `The PACS did not answer within ${Math.round(this.timeoutMs / 1000)} s`,
      );
    const cause = (err as { cause?: { code?: string } })?.cause?.code;
    return new PacsFault(
      'pacs_unreachable',
      `The PACS cannot be reached${cause ? ` (${cause})` : ''}; check that it is running and its address`,
    );
  }
}
