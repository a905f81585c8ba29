#!/usr/bin/env node
/**
 * Builds the viewer's DICOM test corpus: five small uncompressed originals (synthetic, no patient
 * data) and each of them re-encoded into every transfer syntax the viewer reads, by the reference
 * tools of DCMTK and GDCM — independent encoders, so the viewer is checked against files it did
 * not make itself. Writes apps/web/src/viewer/dicom/corpus/ (committed; tests need no tools).
 *
 *   apt-get install -y dcmtk libgdcm-tools && node tools/dicom-corpus/generate.mjs
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ORIGINALS, originalFile } from './originals.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'apps/web/src/viewer/dicom/corpus');
/**
 * Every encoding made from each original: [suffix, tool, args, tolerance]. Tolerance is what the
 * decoded frame may differ from the original: 0 (lossless), the JPEG-LS NEAR bound, or for the
 * lossy codecs a maximum per-sample error and root-mean-square error, measured and stated here.
 */
const NEAR = 2;
const ENCODINGS = [
  ['implicit', 'dcmconv', ['+ti'], { max: 0 }, ['ct16']],
  ['big-endian', 'dcmconv', ['+tb'], { max: 0 }, ['ct16', 'mono8']],
  ['deflated', 'dcmconv', ['+td'], { max: 0 }, ['ct16', 'rgb', 'mf3', 'palette']],
  ['rle', 'dcmcrle', [], { max: 0 }],
  ['rle-gdcm', 'gdcmconv', ['--rle'], { max: 0 }, ['rgb', 'mf3']],
  ['jpeg-lossless', 'dcmcjpeg', ['+e1'], { max: 0 }],
  // Quality 95 baseline (8-bit): measured max 7 / rms 1.8 (grey), max 5 / rms 1.6 (colour).
  ['jpeg-baseline', 'dcmcjpeg', ['+eb', '+q', '95'], { max: 12, rms: 3 }, ['mono8', 'rgb']],
  ['jpegls', 'dcmcjpls', ['+el'], { max: 0 }],
  // DCMTK refuses near-lossless on signed data; GDCM (CharLS) encodes it.
  [
    'jpegls-near',
    'dcmcjpls',
    ['+en', '+md', String(NEAR)],
    { max: NEAR },
    ['mono8', 'rgb', 'mono1', 'mf3'],
  ],
  ['jpegls-near', 'gdcmconv', ['--jpegls', '--lossy', '-e', String(NEAR)], { max: NEAR }, ['ct16']],
  ['jpegls-fragments', 'dcmcjpls', ['+el', '-ot', '+fs', '1'], { max: 0 }, ['mf3', 'ct16']],
  ['j2k', 'gdcmconv', ['--j2k'], { max: 0 }],
  // 4:1 rate J2K; bounds relative to the original's value range. Measured: 8-bit texture max 16
  // of 255 (rms 4.6), 12-bit texture max 18 of 4095 (rms 4.8), CT max 4 of 2200 (rms 1.0).
  [
    'j2k-lossy',
    'gdcmconv',
    ['--j2k', '--lossy', '-r', '4'],
    { relative: true, max: 0.07, rms: 0.02 },
  ],
  // RGB → YBR_FULL in 8 bits rounds: back to RGB within 2.
  ['ybr-full', 'gdcmconv', ['--raw', '-P', 'YBR_FULL'], { max: 2 }, ['rgb']],
  ['planar', 'gdcmconv', ['--raw', '--planar-configuration', '1'], { max: 0 }, ['rgb']],
];

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const manifest = [];
for (const name of Object.keys(ORIGINALS)) {
  const source = path.join(out, `${name}.dcm`);
  fs.writeFileSync(source, originalFile(name));
  for (const [suffix, tool, args, tolerance, only] of ENCODINGS) {
    if (only && !only.includes(name)) continue;
    if (ORIGINALS[name].losslessOnly && tolerance.max > 0) continue;
    const file = `${name}.${suffix}.dcm`;
    execFileSync(tool, [...args, source, path.join(out, file)], { stdio: 'inherit' });
    manifest.push({ file, original: `${name}.dcm`, encoding: suffix, tolerance });
  }
}
fs.writeFileSync(path.join(out, 'corpus.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const bytes = fs.readdirSync(out).reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
console.log(
  `${manifest.length} encoded files from ${Object.keys(ORIGINALS).length} originals, ${Math.round(bytes / 1024)} kB`,
);
