/**
 * The corpus originals: six small synthetic images (no patient data), uncompressed explicit VR
 * little endian, with pixels from formulas — so a test can check a decoded original against the
 * formula, independently of the decoder under test.
 */
import { element } from '../../libs/test-support/src/dicom.mjs';

const UID = '1.2.826.0.1.3680043.10.1234.77';

/** Entry i of the PALETTE COLOR original's lookup table: 16-bit red, green, blue. */
export function paletteEntry(i) {
  return [i * 257, (255 - i) * 257, ((i * 7) & 0xff) * 257];
}

/** Descriptor (256 entries, first mapped 0, 16 bits) and data of the three palette channels. */
function paletteTags() {
  const descriptor = Buffer.alloc(6);
  descriptor.writeUInt16LE(256, 0);
  descriptor.writeUInt16LE(16, 4);
  const tags = [];
  for (let c = 0; c < 3; c++) {
    const data = Buffer.alloc(512);
    for (let i = 0; i < 256; i++) data.writeUInt16LE(paletteEntry(i)[c], i * 2);
    tags.push(
      element(0x0028, 0x1101 + c, 'US', descriptor),
      element(0x0028, 0x1201 + c, 'OW', data),
    );
  }
  return tags;
}

/** The originals: what each looks like and how its pixels are made (deterministic). */
export const ORIGINALS = {
  // CT-like: signed 16-bit Hounsfield units with air at -1000, two windows with explanations.
  ct16: {
    rows: 128,
    columns: 128,
    bits: 16,
    stored: 16,
    signed: true,
    photometric: 'MONOCHROME2',
    modality: 'CT',
    extra: [
      element(0x0018, 0x0015, 'CS', 'CHEST'),
      element(0x0020, 0x0013, 'IS', '12'),
      element(0x0020, 0x0032, 'DS', '-160\\-160\\-42.5'),
      element(0x0020, 0x1041, 'DS', '-42.5'),
      element(0x0028, 0x0030, 'DS', '0.625\\0.625'),
      element(0x0028, 0x1050, 'DS', '40\\-600'),
      element(0x0028, 0x1051, 'DS', '400\\1500'),
      element(0x0028, 0x1055, 'LO', 'MEDIASTINUM\\LUNG'),
    ],
    pixel: (x, y, w, h) => {
      const nx = x / w - 0.5;
      const ny = y / h - 0.5;
      if (nx * nx + ny * ny > 0.2) return -1000; // air around the body
      const lung = (lx) => (nx - lx) ** 2 / 0.015 + (ny * ny) / 0.06 < 1;
      if (lung(-0.18) || lung(0.18)) return -850 + ((x * 3 + y * 5) % 60);
      if (Math.abs(nx) < 0.04 && Math.abs(ny - 0.2) < 0.05) return 1200; // vertebra
      return 30 + ((x * 7 + y * 13) % 50);
    },
  },
  // 8-bit greyscale (ultrasound-like).
  mono8: {
    rows: 64,
    columns: 64,
    bits: 8,
    stored: 8,
    signed: false,
    photometric: 'MONOCHROME2',
    modality: 'US',
    extra: [],
    pixel: (x, y) => (x * 4 + ((y * y) >> 3) + ((x * y) % 17)) & 0xff,
  },
  // 8-bit RGB (photo / colour Doppler-like): smooth ramps, so lossy JPEG stays close.
  rgb: {
    rows: 64,
    columns: 64,
    bits: 8,
    stored: 8,
    signed: false,
    photometric: 'RGB',
    samples: 3,
    modality: 'XC',
    extra: [],
    pixel: (x, y, w, h, c) => [x * 4, y * 4, 255 - (x + y) * 2][c] & 0xff,
  },
  // CR-like MONOCHROME1 (low values are white), 12 bits stored in 16, imager pixel spacing only.
  mono1: {
    rows: 96,
    columns: 80,
    bits: 16,
    stored: 12,
    signed: false,
    photometric: 'MONOCHROME1',
    modality: 'CR',
    extra: [
      element(0x0018, 0x1164, 'DS', '0.143\\0.143'),
      element(0x0028, 0x1050, 'DS', '2048'),
      element(0x0028, 0x1051, 'DS', '4096'),
    ],
    pixel: (x, y) => (x * 37 + y * 23 + ((x * y) % 251)) % 4096,
  },
  // PALETTE COLOR (ultrasound / secondary capture): 8-bit indices into a 16-bit colour table.
  // Lossless encodings only: DICOM allows no lossy compression of palette indices.
  palette: {
    rows: 48,
    columns: 64,
    bits: 8,
    stored: 8,
    signed: false,
    photometric: 'PALETTE COLOR',
    modality: 'US',
    losslessOnly: true,
    extra: paletteTags(),
    pixel: (x, y) => (x * 3 + y * 5 + ((x * y) >> 4)) & 0xff,
  },
  // Three frames of 12-bit greyscale, each different (frame index in the pattern).
  mf3: {
    rows: 64,
    columns: 64,
    bits: 16,
    stored: 12,
    signed: false,
    photometric: 'MONOCHROME2',
    modality: 'XA',
    frames: 3,
    extra: [element(0x0028, 0x0009, 'AT', Buffer.from([0x18, 0, 0x63, 0x10]))],
    pixel: (x, y, w, h, c, f) => (f * 1000 + x * 11 + y * 7 + ((x ^ y) & 31)) % 4096,
  },
};

export function pixelsOf(o) {
  const samples = o.samples ?? 1;
  const frames = o.frames ?? 1;
  const bytes = o.bits / 8;
  const buf = Buffer.alloc(o.rows * o.columns * samples * frames * bytes);
  let i = 0;
  for (let f = 0; f < frames; f++)
    for (let y = 0; y < o.rows; y++)
      for (let x = 0; x < o.columns; x++)
        for (let c = 0; c < samples; c++, i++) {
          const v = o.pixel(x, y, o.columns, o.rows, c, f);
          if (bytes === 1) buf.writeUInt8(v, i);
          else if (o.signed) buf.writeInt16LE(v, i * 2);
          else buf.writeUInt16LE(v, i * 2);
        }
  return buf;
}

/** Encapsulated pixel data (PS3.5 A.4): a basic offset table, then one fragment per frame. */
function encapsulated(frames) {
  const item = (data) => {
    const header = Buffer.alloc(8);
    header.writeUInt16LE(0xfffe, 0);
    header.writeUInt16LE(0xe000, 2);
    header.writeUInt32LE(data.length, 4);
    return Buffer.concat([header, data]);
  };
  const even = frames.map((f) => (f.length % 2 ? Buffer.concat([f, Buffer.from([0])]) : f));
  const offsets = Buffer.alloc(4 * even.length);
  let at = 0;
  even.forEach((f, i) => {
    offsets.writeUInt32LE(at, 4 * i);
    at += 8 + f.length;
  });
  const header = Buffer.alloc(12);
  header.writeUInt16LE(0x7fe0, 0);
  header.writeUInt16LE(0x0010, 2);
  header.write('OB', 4, 'latin1');
  header.writeUInt32LE(0xffffffff, 8); // undefined length
  const end = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]); // sequence delimiter
  return Buffer.concat([header, item(offsets), ...even.map(item), end]);
}

/**
 * The original as a Part 10 file: uncompressed explicit VR little endian, or — given a transfer
 * syntax and one compressed codestream per frame — the same header with encapsulated pixel data
 * (for encoders that write bare codestreams, e.g. OpenJPH's HTJ2K).
 */
export function originalFile(name, encoded) {
  const o = ORIGINALS[name];
  const sopClass = o.frames ? '1.2.840.10008.5.1.4.1.1.7.3' : '1.2.840.10008.5.1.4.1.1.7';
  const sop = `${UID}.1.${Object.keys(ORIGINALS).indexOf(name) + 1}`;
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', sopClass),
    element(0x0002, 0x0003, 'UI', sop),
    element(0x0002, 0x0010, 'UI', encoded?.syntax ?? '1.2.840.10008.1.2.1'),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1234'),
  ]);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', metaBody.length), metaBody]);
  const tags = [
    element(0x0008, 0x0016, 'UI', sopClass),
    element(0x0008, 0x0018, 'UI', sop),
    element(0x0008, 0x0060, 'CS', o.modality),
    element(0x0008, 0x1030, 'LO', `CORPUS ${name.toUpperCase()}`),
    element(0x0010, 0x0010, 'PN', 'CORPUS^SYNTHETIC'),
    element(0x0010, 0x0020, 'LO', 'CORPUS-0001'),
    element(0x0020, 0x000d, 'UI', `${UID}.2`),
    element(0x0020, 0x000e, 'UI', `${UID}.3.${name.length}`),
    ...o.extra,
    element(0x0028, 0x0002, 'US', o.samples ?? 1),
    element(0x0028, 0x0004, 'CS', o.photometric),
    ...(o.samples ? [element(0x0028, 0x0006, 'US', 0)] : []),
    ...(o.frames ? [element(0x0028, 0x0008, 'IS', String(o.frames))] : []),
    element(0x0028, 0x0010, 'US', o.rows),
    element(0x0028, 0x0011, 'US', o.columns),
    element(0x0028, 0x0100, 'US', o.bits),
    element(0x0028, 0x0101, 'US', o.stored),
    element(0x0028, 0x0102, 'US', o.stored - 1),
    element(0x0028, 0x0103, 'US', o.signed ? 1 : 0),
    encoded
      ? encapsulated(encoded.frames)
      : element(0x7fe0, 0x0010, o.bits === 8 ? 'OB' : 'OW', pixelsOf(o)),
  ];
  // Elements must ascend by tag: sort the dataset by (group, element).
  tags.sort(
    (a, b) => a.readUInt16LE(0) - b.readUInt16LE(0) || a.readUInt16LE(2) - b.readUInt16LE(2),
  );
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, ...tags]);
}
