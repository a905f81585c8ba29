/**
 * DICOM files made on the fly, so the tests ship no binaries: a 16-bit synthetic chest X-ray with
 * a known window, the same image as JPEG baseline, a tiny 4x4 CR, and a deflated data set.
 * Plain ESM with node: imports only, usable from jest, node --test scripts and .mjs tools.
 */
import { deflateRawSync } from 'node:zlib';
import { encodeBaselineJpeg } from './jpeg.mjs';
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);
function pad(value, vr) {
  if (value.length % 2 === 0) return value;
  const padByte = vr === 'UI' || vr === 'OB' || vr === 'OW' ? 0 : 0x20;
  return Buffer.concat([value, Buffer.from([padByte])]);
}
/** One explicit VR little endian element; numbers are written as US (or UL). */
export function element(group, elem, vr, value) {
  let data;
  if (typeof value === 'number') {
    data = Buffer.alloc(vr === 'UL' ? 4 : 2);
    if (vr === 'UL') data.writeUInt32LE(value, 0);
    else data.writeUInt16LE(value, 0);
  } else data = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  data = pad(data, vr);
  const long = LONG_VRS.has(vr);
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elem, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(data.length, 8);
  else header.writeUInt16LE(data.length, 6);
  return Buffer.concat([header, data]);
}
/** Stored pixel value at (x, y) of the synthetic chest image: two dark "lungs" in a brighter body. */
export function syntheticPixel(x, y, columns, rows) {
  const nx = x / columns - 0.5;
  const ny = y / rows - 0.5;
  const body = nx * nx + ny * ny < 0.2 ? 1200 : 100;
  const lung = (lx) => ((nx - lx) * (nx - lx)) / 0.02 + (ny * ny) / 0.08 < 1;
  const spine = Math.abs(nx) < 0.03 && Math.abs(ny) < 0.4 ? 800 : 0;
  return lung(-0.17) || lung(0.17) ? 300 : body + spine + ((x * 7 + y * 13) % 40);
}
export function makeDicom(opts = {}) {
  const rows = opts.rows ?? 128;
  const columns = opts.columns ?? 128;
  const sopClass = '1.2.840.10008.5.1.4.1.1.1.1'; // Digital X-Ray Image Storage - For Presentation
  const sopInstance = opts.sopInstanceUid ?? '1.2.826.0.1.3680043.10.1234.1.1';
  const syntax = opts.transferSyntax ?? '1.2.840.10008.1.2.1'; // explicit VR little endian
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', sopClass),
    element(0x0002, 0x0003, 'UI', sopInstance),
    element(0x0002, 0x0010, 'UI', syntax),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1234'),
  ]);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', metaBody.length), metaBody]);
  const pixels = Buffer.alloc(rows * columns * 2);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < columns; x++)
      pixels.writeUInt16LE(syntheticPixel(x, y, columns, rows), (y * columns + x) * 2);
  const dataset = Buffer.concat([
    element(0x0008, 0x0016, 'UI', sopClass),
    element(0x0008, 0x0018, 'UI', sopInstance),
    element(0x0008, 0x0020, 'DA', '20261123'),
    element(0x0008, 0x0060, 'CS', opts.modality ?? 'DX'),
    element(0x0008, 0x1030, 'LO', opts.description ?? 'CHEST PA'),
    element(0x0010, 0x0010, 'PN', opts.patientName ?? 'NGUYEN^VAN^A'),
    element(0x0010, 0x0020, 'LO', opts.patientId ?? 'TEST-0001'),
    element(0x0010, 0x0030, 'DA', '19600229'),
    ...(opts.imagerPixelSpacing
      ? [element(0x0018, 0x1164, 'DS', opts.imagerPixelSpacing.join('\\'))]
      : []),
    element(0x0020, 0x000d, 'UI', '1.2.826.0.1.3680043.10.1234.2'),
    element(0x0020, 0x000e, 'UI', '1.2.826.0.1.3680043.10.1234.3'),
    element(0x0028, 0x0002, 'US', 1),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0010, 'US', rows),
    element(0x0028, 0x0011, 'US', columns),
    // PixelSpacing: row spacing (between rows, vertical) then column spacing, in mm.
    ...(opts.pixelSpacing ? [element(0x0028, 0x0030, 'DS', opts.pixelSpacing.join('\\'))] : []),
    element(0x0028, 0x0100, 'US', 16),
    element(0x0028, 0x0101, 'US', 12),
    element(0x0028, 0x0102, 'US', 11),
    element(0x0028, 0x0103, 'US', 0),
    element(0x0028, 0x1050, 'DS', String(opts.windowCenter ?? 700)),
    element(0x0028, 0x1051, 'DS', String(opts.windowWidth ?? 1400)),
    element(0x0028, 0x1052, 'DS', '0'),
    element(0x0028, 0x1053, 'DS', '1'),
    element(0x7fe0, 0x0010, 'OW', pixels),
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, dataset]);
}
/** 8-bit grey value of the synthetic chest image (for the JPEG baseline fixture). */
export function syntheticGrey(x, y, columns, rows) {
  return Math.min(255, Math.round((syntheticPixel(x, y, columns, rows) / 2000) * 255));
}
function item(tagElem, data) {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0xfffe, 0);
  header.writeUInt16LE(tagElem, 2);
  header.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, data]);
}
/**
 * The same synthetic chest image, 8-bit, as JPEG baseline (transfer syntax 1.2.840.10008.1.2.4.50)
 * in encapsulated pixel data: an empty basic offset table, one fragment with the whole JPEG, a
 * sequence delimiter. The JPEG comes from our own encoder (jpeg.mjs).
 */
export function makeJpegBaselineDicom(opts = {}) {
  const rows = opts.rows ?? 64;
  const columns = opts.columns ?? 64;
  const sopClass = '1.2.840.10008.5.1.4.1.1.7'; // Secondary Capture
  const sopInstance = '1.2.826.0.1.3680043.10.1234.1.50';
  const syntax = '1.2.840.10008.1.2.4.50';
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', sopClass),
    element(0x0002, 0x0003, 'UI', sopInstance),
    element(0x0002, 0x0010, 'UI', syntax),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1234'),
  ]);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', metaBody.length), metaBody]);
  const grey = new Uint8Array(rows * columns);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < columns; x++) grey[y * columns + x] = syntheticGrey(x, y, columns, rows);
  const jpeg = encodeBaselineJpeg(grey, columns, rows, opts.quality ?? 90);
  const fragment = jpeg.length % 2 ? Buffer.concat([jpeg, Buffer.from([0])]) : jpeg;
  const pixelHeader = Buffer.alloc(12);
  pixelHeader.writeUInt16LE(0x7fe0, 0);
  pixelHeader.writeUInt16LE(0x0010, 2);
  pixelHeader.write('OB', 4, 'latin1');
  pixelHeader.writeUInt32LE(0xffffffff, 8); // undefined length: encapsulated
  const dataset = Buffer.concat([
    element(0x0008, 0x0016, 'UI', sopClass),
    element(0x0008, 0x0018, 'UI', sopInstance),
    element(0x0008, 0x0060, 'CS', 'OT'),
    element(0x0008, 0x1030, 'LO', 'CHEST PA JPEG'),
    element(0x0010, 0x0010, 'PN', 'NGUYEN^VAN^B'),
    element(0x0028, 0x0002, 'US', 1),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0010, 'US', rows),
    element(0x0028, 0x0011, 'US', columns),
    element(0x0028, 0x0100, 'US', 8),
    element(0x0028, 0x0101, 'US', 8),
    element(0x0028, 0x0102, 'US', 7),
    element(0x0028, 0x0103, 'US', 0),
    element(0x0028, 0x1050, 'DS', '128'),
    element(0x0028, 0x1051, 'DS', '256'),
    pixelHeader,
    item(0xe000, Buffer.alloc(0)),
    item(0xe000, fragment),
    item(0xe0dd, Buffer.alloc(0)),
  ]);
  return {
    file: Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, dataset]),
    jpeg,
    grey,
  };
}

const DICM = () => Buffer.from('DICM', 'latin1');

/** File meta group with its group length first. */
function metaGroup(elements) {
  const body = Buffer.concat(elements);
  return Buffer.concat([element(0x0002, 0x0000, 'UL', body.length), body]);
}

/**
 * A chest X-ray (CR) of 4x4 8-bit pixels with the metadata the API extracts (modality CR, body
 * part CHEST, study date 2026-11-20). `sopInstanceUid` makes each file distinct.
 */
export function chestXrayDicom(opts = {}) {
  const meta = metaGroup([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.1'),
    element(0x0002, 0x0003, 'UI', opts.sopInstanceUid ?? '1.2.826.0.1.3680043.2.1125.1'),
    element(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'),
  ]);
  const dataset = Buffer.concat([
    element(0x0008, 0x0020, 'DA', '20261120'),
    element(0x0008, 0x0060, 'CS', 'CR'),
    element(0x0008, 0x1030, 'LO', 'XQ NGUC THANG'),
    element(0x0018, 0x0015, 'CS', 'CHEST'),
    element(0x0028, 0x0010, 'US', 4),
    element(0x0028, 0x0011, 'US', 4),
    element(0x0028, 0x0100, 'US', 8),
    element(0x7fe0, 0x0010, 'OW', Buffer.alloc(16, 0x80)),
  ]);
  return Buffer.concat([Buffer.alloc(128), DICM(), meta, dataset]);
}

/** A DICOM file in the deflated transfer syntax whose data set inflates to about `pixelBytes`. */
export function deflatedDicom(pixelBytes) {
  const meta = metaGroup([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1.99'),
  ]);
  const dataset = Buffer.concat([
    element(0x0008, 0x0060, 'CS', 'CT'),
    element(0x0028, 0x0010, 'US', 512),
    element(0x7fe0, 0x0010, 'OW', Buffer.alloc(pixelBytes)),
  ]);
  return Buffer.concat([Buffer.alloc(128), DICM(), meta, deflateRawSync(dataset, { level: 9 })]);
}
