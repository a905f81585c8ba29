import fs from 'node:fs';
import path from 'node:path';
import { ORIGINALS, paletteEntry, pixelsOf } from '../../../../../tools/dicom-corpus/originals.mjs';
import { openDicom, type DicomFile, type DicomImage } from '.';
import { useJpegJsAsBrowser } from '../../../jest/jpeg-js-browser';

/**
 * The corpus (tools/dicom-corpus): five synthetic originals re-encoded by DCMTK and GDCM into
 * every syntax the viewer reads. Every frame of every file is decoded and compared with the
 * original, sample by sample.
 */
interface Entry {
  file: string;
  original: string;
  encoding: string;
  /** Largest and root-mean-square sample error; `relative`: as fractions of the value range. */
  tolerance: { max: number; rms?: number; relative?: boolean };
}
const dir = path.join(__dirname, 'corpus');
const manifest: Entry[] = JSON.parse(fs.readFileSync(path.join(dir, 'corpus.json'), 'utf8'));
const SYNTAX: Record<string, string> = {
  implicit: '1.2.840.10008.1.2',
  'big-endian': '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
  rle: '1.2.840.10008.1.2.5',
  'rle-gdcm': '1.2.840.10008.1.2.5',
  'jpeg-lossless': '1.2.840.10008.1.2.4.70',
  'jpeg-baseline': '1.2.840.10008.1.2.4.50',
  jpegls: '1.2.840.10008.1.2.4.80',
  'jpegls-fragments': '1.2.840.10008.1.2.4.80',
  'jpegls-near': '1.2.840.10008.1.2.4.81',
  j2k: '1.2.840.10008.1.2.4.90',
  'j2k-lossy': '1.2.840.10008.1.2.4.91',
  htj2k: '1.2.840.10008.1.2.4.201',
  'htj2k-rpcl': '1.2.840.10008.1.2.4.202',
  'htj2k-lossy': '1.2.840.10008.1.2.4.203',
  'ybr-full': '1.2.840.10008.1.2.1',
  planar: '1.2.840.10008.1.2.1',
};

function open(file: string): Promise<DicomFile> {
  const b = fs.readFileSync(path.join(dir, file));
  return openDicom(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}

/**
 * The original's samples of frame f, straight from the generator's formulas (PALETTE COLOR: the
 * RGB its table gives each index, 16-bit entries to 8 bits).
 */
function expectedFrame(name: string, f: number): number[] {
  const o = ORIGINALS[name as keyof typeof ORIGINALS];
  const raw = pixelsOf(o);
  const per = o.rows * o.columns * ((o as { samples?: number }).samples ?? 1);
  const values: number[] = [];
  for (let i = f * per; i < (f + 1) * per; i++)
    values.push(
      o.bits === 8 ? raw.readUInt8(i) : o.signed ? raw.readInt16LE(i * 2) : raw.readUInt16LE(i * 2),
    );
  if (o.photometric !== 'PALETTE COLOR') return values;
  return values.flatMap((v) => paletteEntry(v).map((c: number) => c >> 8));
}

function difference(img: DicomImage, expected: number[]) {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(img.pixels[i] - expected[i]);
    max = Math.max(max, d);
    sum += d * d;
  }
  return { max, rms: Math.sqrt(sum / expected.length) };
}

const measured: string[] = [];
afterAll(() => {
  // The numbers behind the tolerances in tools/dicom-corpus/generate.mjs, for the record.
  if (process.env.CORPUS_REPORT) console.log(measured.join('\n'));
});

describe('DICOM corpus: every syntax against its uncompressed original', () => {
  useJpegJsAsBrowser();

  it.each(Object.keys(ORIGINALS))(
    'original %s decodes to exactly the generated samples',
    async (name) => {
      const file = await open(`${name}.dcm`);
      for (let f = 0; f < file.frameCount; f++) {
        const img = await file.frame(f);
        expect([...img.pixels]).toEqual(expectedFrame(name, f));
      }
    },
  );

  it.each(manifest.map((e) => [e.file, e] as const))('%s', async (_name, entry) => {
    const [original, encoded] = await Promise.all([open(entry.original), open(entry.file)]);
    expect(encoded.transferSyntax).toBe(SYNTAX[entry.encoding]);
    const facts = ({
      frame: _f,
      transferSyntax: _t,
      photometric: _p,
      sopInstanceUid: _s,
      ...rest
    }: DicomFile) => rest;
    expect(facts(encoded)).toEqual(facts(original));
    const name = entry.original.replace('.dcm', '');
    for (let f = 0; f < original.frameCount; f++) {
      const img = await encoded.frame(f);
      const reference = await original.frame(f);
      expect([img.rows, img.columns, img.samples]).toEqual([
        reference.rows,
        reference.columns,
        reference.samples,
      ]);
      expect([img.slope, img.intercept, img.invert]).toEqual([
        reference.slope,
        reference.intercept,
        reference.invert,
      ]);
      const expected = expectedFrame(name, f);
      const { max, rms } = difference(img, expected);
      const range = entry.tolerance.relative ? Math.max(...expected) - Math.min(...expected) : 1;
      measured.push(`${entry.file} frame ${f}: max ${max}, rms ${rms.toFixed(3)}, range ${range}`);
      expect(max).toBeLessThanOrEqual(entry.tolerance.max * range);
      if (entry.tolerance.rms !== undefined)
        expect(rms).toBeLessThanOrEqual(entry.tolerance.rms * range);
    }
  });

  it('covers every original in every required syntax', () => {
    const have = new Set(manifest.map((e) => `${e.original}:${e.encoding}`));
    for (const [name, o] of Object.entries(ORIGINALS))
      for (const encoding of ['rle', 'jpeg-lossless', 'jpegls', 'j2k'].concat(
        name === 'ct16' ? [] : ['htj2k'], // see tools/dicom-corpus/generate.mjs
        'losslessOnly' in o ? [] : ['jpegls-near', 'j2k-lossy'],
      ))
        expect(have).toContain(`${name}.dcm:${encoding}`);
    expect(have).toContain('ct16.dcm:deflated');
    expect(have).toContain('mf3.dcm:deflated');
    expect(have).toContain('palette.dcm:deflated');
    expect(have).toContain('rgb.dcm:jpeg-baseline');
  });
});
