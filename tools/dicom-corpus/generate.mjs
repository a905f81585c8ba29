#!/usr/bin/env node
/**
 * Builds the viewer's DICOM test corpus: six small uncompressed originals (synthetic, no patient
 * data) and each of them re-encoded into every transfer syntax the viewer reads, by the reference
 * tools of DCMTK, GDCM and OpenJPH — independent encoders, so the viewer is checked against files it did
 * not make itself. Writes apps/web/src/viewer/dicom/corpus/ (committed; tests need no tools).
 *
 *   apt-get install -y dcmtk libgdcm-tools openjph-tools && node tools/dicom-corpus/generate.mjs
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { htj2kFrames } from './htj2k.mjs';
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

/**
 * HTJ2K (OpenJPH): [suffix, transfer syntax, ojph_compress arguments, tolerance, originals].
 * Not the signed CT: Debian's OpenJPH 0.9 writes negative samples in a form only OpenJPH reads
 * back (Kakadu and OpenJPEG disagree with it; fixed upstream later), so signed HTJ2K stays
 * untested here.
 */
const HTJ2K = [
  [
    'htj2k',
    '1.2.840.10008.1.2.4.201',
    ['-reversible', 'true'],
    { max: 0 },
    ['mono8', 'rgb', 'mono1', 'palette', 'mf3'],
  ],
  [
    'htj2k-rpcl',
    '1.2.840.10008.1.2.4.202',
    ['-reversible', 'true', '-prog_order', 'RPCL'],
    { max: 0 },
    ['mono8', 'mf3'],
  ],
  // Irreversible (9/7 wavelet), quantisation step 0.002 of the range.
  [
    'htj2k-lossy',
    '1.2.840.10008.1.2.4.203',
    ['-qstep', '0.002'],
    { relative: true, max: 0.07, rms: 0.02 },
    ['mono8', 'mono1'],
  ],
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
  for (const [suffix, syntax, args, tolerance, only] of HTJ2K) {
    if (only && !only.includes(name)) continue;
    const file = `${name}.${suffix}.dcm`;
    fs.writeFileSync(
      path.join(out, file),
      originalFile(name, { syntax, frames: htj2kFrames(name, args) }),
    );
    manifest.push({ file, original: `${name}.dcm`, encoding: suffix, tolerance });
  }
}
fs.writeFileSync(path.join(out, 'corpus.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const bytes = fs.readdirSync(out).reduce((n, f) => n + fs.statSync(path.join(out, f)).size, 0);
console.log(
  `${manifest.length} encoded files from ${Object.keys(ORIGINALS).length} originals, ${Math.round(bytes / 1024)} kB`,
);
