import { makeCtSlice } from '@caunoi/test-support';
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

  it('reads where a slice belongs in its series, and drops what is malformed', async () => {
    const slice = makeCtSlice({ seriesUid: '1.2.3.4', instanceNumber: 12, z: 30, frames: 3 });
    expect(await readDicomSummary(slice)).toMatchObject({
      modality: 'CT',
      series: {
        seriesUid: '1.2.3.4',
        studyUid: '1.2.826.0.1.3680043.10.1234.6',
        instanceNumber: 12,
        position: [-160, -160, 30],
        orientation: [1, 0, 0, 0, 1, 0],
        frames: 3,
      },
    });
    // A UID with letters and a two-number position are not stored.
    const bad = Buffer.from(
      makeCtSlice({ seriesUid: '1.2.3.4', z: 1 })
        .toString('latin1')
        .replace('1.2.826.0.1.3680043.10.1234.6', '1.2.826.0.1.3680043.10.1234.X'),
      'latin1',
    );
    const badSummary = await readDicomSummary(bad);
    expect(badSummary?.series?.studyUid).toBeUndefined();
    expect(badSummary?.series?.seriesUid).toBe('1.2.3.4');
    const short = makeCtSlice({ seriesUid: '1.2.3.4', position: [1, 2] as never });
    expect((await readDicomSummary(short))?.series?.position).toBeUndefined();
    const noSeries = await readDicomSummary(deflatedDicom(1024));
    expect(noSeries?.series).toBeUndefined();
    expect(noSeries?.frames).toBeUndefined();
  });

  it('reads the frame count of a multi-frame file that has no series UID', async () => {
    const loose = await readDicomSummary(makeCtSlice({ seriesUid: null, frames: 6 }));
    expect(loose?.series).toBeUndefined();
    expect(loose?.frames).toBe(6);
  });

  it('answers null for a header that cannot be parsed', async () => {
    expect(await readDicomSummary(Buffer.from('not a dicom at all'))).toBeNull();
  });
});
