import { deflatedDicom } from '../../test/support/files';
import { DicomTooLargeError, readDicomSummary } from './dicom-metadata';

describe('readDicomSummary', () => {
  it('reads the header of a deflated data set within the cap', async () => {
    const summary = await readDicomSummary(deflatedDicom(1024 * 1024));
    expect(summary).toMatchObject({ modality: 'CT', rows: 512 });
  });

  it('refuses a decompression bomb instead of inflating it (kept off the event loop)', async () => {
    const bomb = deflatedDicom(256 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const limits = { maxInflatedBytes: 8 * 1024 * 1024, timeoutMs: 10_000, maxHeapMb: 64 };
    await expect(readDicomSummary(bomb, limits)).rejects.toBeInstanceOf(DicomTooLargeError);
    clearInterval(ticker);
    // The event loop kept turning while the worker inflated.
    expect(ticks).toBeGreaterThan(0);
  });

  it('answers null for a header that cannot be parsed', async () => {
    expect(await readDicomSummary(Buffer.from('not a dicom at all'))).toBeNull();
  });
});
