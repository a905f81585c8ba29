/**
 * HTJ2K (JPEG 2000 Part 15) codestreams of a corpus original, one per frame, by OpenJPH's
 * ojph_compress (`apt-get install openjph-tools`), which reads PGM/PPM (unsigned) or raw
 * little-endian samples (signed data — see generate.mjs on why no signed original uses it).
 * DCMTK and GDCM write no HTJ2K, so the generator encapsulates the codestreams itself
 * (originals.mjs).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ORIGINALS, pixelsOf } from './originals.mjs';

/** The input file ojph_compress reads for one frame, and the arguments that describe it. */
function frameInput(o, frame, dir) {
  const samples = o.samples ?? 1;
  const bytes = o.bits / 8;
  const size = o.rows * o.columns * samples * bytes;
  const raw = pixelsOf(o).subarray(frame * size, (frame + 1) * size);
  if (o.signed) {
    const file = path.join(dir, `f${frame}.yuv`);
    fs.writeFileSync(file, raw);
    const dims = [`-dims`, `{${o.columns},${o.rows}}`, '-num_comps', '1', '-downsamp', '{1,1}'];
    return [file, [...dims, '-signed', 'true', '-bit_depth', String(o.stored)]];
  }
  // PNM stores 16-bit samples big-endian; its maxval gives the bit depth.
  const body = Buffer.from(raw);
  if (bytes === 2) body.swap16();
  const file = path.join(dir, `f${frame}.${samples === 3 ? 'ppm' : 'pgm'}`);
  const header = `${samples === 3 ? 'P6' : 'P5'}\n${o.columns} ${o.rows}\n${2 ** o.stored - 1}\n`;
  fs.writeFileSync(file, Buffer.concat([Buffer.from(header, 'latin1'), body]));
  return [file, []];
}

export function htj2kFrames(name, args) {
  const o = ORIGINALS[name];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-htj2k-'));
  try {
    return Array.from({ length: o.frames ?? 1 }, (_, f) => {
      const [input, describe] = frameInput(o, f, dir);
      const output = path.join(dir, `f${f}.j2c`);
      execFileSync('ojph_compress', ['-i', input, '-o', output, ...describe, ...args], {
        stdio: 'ignore',
      });
      return fs.readFileSync(output);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
