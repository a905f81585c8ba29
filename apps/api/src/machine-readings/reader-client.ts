/** How a call to a reader went: an HTTP answer (any status), or no answer at all. */
export type ReaderCall =
  | { kind: 'answer'; status: number; body: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'oversized'; reason: string };

/**
 * POSTs the de-identified image to a reader: `application/dicom`, the token as a bearer, a FHIR
 * answer asked for. The answer is read up to `maxAnswerBytes` and the whole call is abandoned
 * after `timeoutMs`, so a reader that hangs or floods cannot hold the job.
 */
export async function callReader(
  url: string,
  token: string | null,
  dicom: Buffer,
  opts: { timeoutMs: number; maxAnswerBytes: number; readingId: string },
): Promise<ReaderCall> {
  const abort = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(url, {
      method: 'POST',
      signal: abort,
      redirect: 'error',
      headers: {
        'content-type': 'application/dicom',
        accept: 'application/fhir+json, application/json',
        // An id of our own, not the patient's: lets the reader's operator match a call to a log.
        'x-request-id': opts.readingId,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: new Uint8Array(dicom.buffer, dicom.byteOffset, dicom.byteLength),
    });
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > opts.maxAnswerBytes) {
      await res.body?.cancel();
      return oversized(opts.maxAnswerBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).length;
      if (size > opts.maxAnswerBytes) {
        await res.body?.cancel().catch(() => undefined);
        return oversized(opts.maxAnswerBytes);
      }
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    return { kind: 'answer', status: res.status, body: Buffer.concat(chunks).toString('utf8') };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (abort.aborted)
      return { kind: 'unreachable', reason: `no answer within ${opts.timeoutMs} ms` };
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    return {
      kind: 'unreachable',
      reason: `the reader cannot be reached (${String(why).slice(0, 200)})`,
    };
  }
}

const oversized = (max: number): ReaderCall => ({
  kind: 'oversized',
  reason: `the reader's answer is larger than ${Math.round(max / 1024)} KiB`,
});
