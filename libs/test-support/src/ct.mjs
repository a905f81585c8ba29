/**
 * Synthetic CT series, made on the fly so no test commits hundreds of slices: each slice is a
 * 16-bit signed image in Hounsfield units (rescale intercept -1024) of a "chest" whose lungs,
 * mediastinum and spine change with the slice position, so every slice renders differently and the
 * lung, mediastinum and bone windows look different on the same slice.
 */
import { element } from './dicom.mjs';

const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const AXIAL = [1, 0, 0, 0, 1, 0];

/** Hounsfield value at (x, y) of a slice at `z` mm (0..zSpan): shapes shrink and move with z. */
export function ctHounsfield(x, y, columns, rows, z, zSpan = 300) {
  const nx = x / columns - 0.5;
  const ny = y / rows - 0.5;
  const t = Math.max(0, Math.min(1, z / zSpan));
  if (nx * nx + ny * ny > 0.2) return -1000; // air around the body
  const lungR = 0.02 + 0.03 * Math.sin(Math.PI * t);
  const lung = (lx) => ((nx - lx) * (nx - lx)) / lungR + (ny * ny) / (lungR * 3) < 1;
  if (lung(-0.18) || lung(0.18)) return -820 + ((x + y) % 30);
  // The spine's vertebral body slides down the image from slice to slice.
  const spineY = 0.1 + 0.25 * t;
  if (nx * nx + (ny - spineY) * (ny - spineY) < 0.004) return 700 + ((x * 3) % 50);
  return 40 + ((x * 7 + y * 13) % 20);
}

/** A DICOM Part 10 CT slice (explicit VR little endian), optionally multi-frame. */
export function makeCtSlice(opts = {}) {
  const rows = opts.rows ?? 64;
  const columns = opts.columns ?? 64;
  const frames = opts.frames ?? 1;
  const z = opts.z ?? 0;
  const zStep = opts.zStep ?? 1;
  const zSpan = opts.zSpan ?? 300;
  const sop = opts.sopInstanceUid ?? `1.2.826.0.1.3680043.10.1234.9.${opts.instanceNumber ?? 1}`;
  // null: no SeriesInstanceUID at all (some exports of a single multi-frame file lack one).
  const series =
    opts.seriesUid === null ? null : (opts.seriesUid ?? '1.2.826.0.1.3680043.10.1234.7.1');
  const study = opts.studyUid ?? '1.2.826.0.1.3680043.10.1234.6';
  const syntax = '1.2.840.10008.1.2.1';
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', CT_IMAGE_STORAGE),
    element(0x0002, 0x0003, 'UI', sop),
    element(0x0002, 0x0010, 'UI', syntax),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1234'),
  ]);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', metaBody.length), metaBody]);
  const pixels = Buffer.alloc(rows * columns * 2 * frames);
  for (let f = 0; f < frames; f++)
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++)
        pixels.writeInt16LE(
          ctHounsfield(x, y, columns, rows, z + f * zStep, zSpan) + 1024,
          ((f * rows + y) * columns + x) * 2,
        );
  const position = opts.position ?? [-160, -160, z];
  const orientation = opts.orientation ?? AXIAL;
  const ds = (n) => String(Math.round(n * 1000) / 1000);
  const optional = [];
  if (opts.instanceNumber !== undefined)
    optional.push(element(0x0020, 0x0013, 'IS', String(opts.instanceNumber)));
  if (opts.position !== null) {
    optional.push(element(0x0020, 0x0032, 'DS', position.map(ds).join('\\')));
    optional.push(element(0x0020, 0x0037, 'DS', orientation.map(ds).join('\\')));
  }
  if (opts.sliceLocation !== undefined)
    optional.push(element(0x0020, 0x1041, 'DS', ds(opts.sliceLocation)));
  const dataset = Buffer.concat([
    element(0x0008, 0x0016, 'UI', CT_IMAGE_STORAGE),
    element(0x0008, 0x0018, 'UI', sop),
    element(0x0008, 0x0020, 'DA', '20261125'),
    element(0x0008, 0x0060, 'CS', 'CT'),
    element(0x0008, 0x1030, 'LO', opts.description ?? 'CT NGUC'),
    element(0x0010, 0x0010, 'PN', 'NGUYEN^VAN^C'),
    element(0x0020, 0x000d, 'UI', study),
    ...(series ? [element(0x0020, 0x000e, 'UI', series)] : []),
    ...optional,
    element(0x0028, 0x0002, 'US', 1),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    ...(frames > 1 ? [element(0x0028, 0x0008, 'IS', String(frames))] : []),
    element(0x0028, 0x0010, 'US', rows),
    element(0x0028, 0x0011, 'US', columns),
    element(0x0028, 0x0030, 'DS', '0.7\\0.7'),
    element(0x0028, 0x0100, 'US', 16),
    element(0x0028, 0x0101, 'US', 16),
    element(0x0028, 0x0102, 'US', 15),
    element(0x0028, 0x0103, 'US', 1),
    element(0x0028, 0x1050, 'DS', String(opts.windowCenter ?? 40)),
    element(0x0028, 0x1051, 'DS', String(opts.windowWidth ?? 400)),
    element(0x0028, 0x1052, 'DS', '-1024'),
    element(0x0028, 0x1053, 'DS', '1'),
    element(0x7fe0, 0x0010, 'OW', pixels),
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, dataset]);
}

/**
 * `count` slices of one series, `spacing` mm apart from z = 0, each with its instance number
 * (1-based, in position order) — in that order; shuffle them to test the grouping.
 */
export function makeCtSeries(count, opts = {}) {
  const spacing = opts.spacing ?? 2.5;
  return Array.from({ length: count }, (_, i) => ({
    instanceNumber: i + 1,
    z: i * spacing,
    file: makeCtSlice({ ...opts, instanceNumber: i + 1, z: i * spacing, zSpan: count * spacing }),
  }));
}
