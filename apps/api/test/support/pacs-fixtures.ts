import type { MadeStudy, TestOrthanc } from '@caunoi/test-support';
import type { TestApp } from './test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every file of the studies stored in the Orthanc, in order; answers Orthanc's instance ids. */
export async function storeStudies(
  orthanc: TestOrthanc,
  ...studies: MadeStudy[]
): Promise<string[]> {
  const ids: string[] = [];
  for (const s of studies)
    for (const series of s.series)
      for (const f of series.files) ids.push((await orthanc.upload(f.bytes)).ID);
  return ids;
}

/**
 * A PACS import's answer once it has stopped running (done or failed), read as `auth`; the
 * import runs in the background, so the test polls (at most a minute).
 */
export async function settledImport(
  t: TestApp,
  auth: Record<string, string>,
  consultationId: string,
  importId: string,
) {
  for (let i = 0; i < 600; i++) {
    const res = await t
      .http()
      .get(`/api/consultations/${consultationId}/pacs-imports/${importId}`)
      .set(auth)
      .expect(200);
    if (res.body.status !== 'running') return res.body;
    await sleep(100);
  }
  throw new Error('import still running');
}
