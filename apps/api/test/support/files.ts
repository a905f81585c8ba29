import { deflateRawSync } from 'node:zlib';
import PDFDocument from 'pdfkit';

/** Small, valid files of every accepted type, built in memory so the tests ship no binaries. */

function element(group: number, el: number, vr: string, value: Buffer): Buffer {
  const padded =
    value.length % 2 ? Buffer.concat([value, Buffer.from([vr === 'UI' ? 0 : 0x20])]) : value;
  const long = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr);
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(el, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(padded.length, 8);
  else header.writeUInt16LE(padded.length, 6);
  return Buffer.concat([header, padded]);
}

const str = (s: string) => Buffer.from(s, 'latin1');
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

/** A chest X-ray (CR) in explicit VR little endian with a 4×4 image. */
export function chestXrayDicom(): Buffer {
  const meta = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', str('1.2.840.10008.5.1.4.1.1.1')),
    element(0x0002, 0x0003, 'UI', str('1.2.826.0.1.3680043.2.1125.1')),
    element(0x0002, 0x0010, 'UI', str('1.2.840.10008.1.2.1')),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length);
  const dataset = Buffer.concat([
    element(0x0008, 0x0020, 'DA', str('20261120')),
    element(0x0008, 0x0060, 'CS', str('CR')),
    element(0x0008, 0x1030, 'LO', str('XQ NGUC THANG')),
    element(0x0018, 0x0015, 'CS', str('CHEST')),
    element(0x0028, 0x0010, 'US', u16(4)),
    element(0x0028, 0x0011, 'US', u16(4)),
    element(0x0028, 0x0100, 'US', u16(8)),
    element(0x7fe0, 0x0010, 'OW', Buffer.alloc(16, 0x80)),
  ]);
  return Buffer.concat([
    Buffer.alloc(128),
    str('DICM'),
    element(0x0002, 0x0000, 'UL', groupLength),
    meta,
    dataset,
  ]);
}

export function labReportPdf(): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.text('Lab report: CRP 48 mg/L, WBC 12.4 G/L');
    doc.end();
  });
}

export const tinyPng = () =>
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );

export const tinyJpeg = () =>
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

export const labResultsJson = () =>
  Buffer.from(
    JSON.stringify({
      panel: 'Công thức máu',
      results: [{ code: 'WBC', value: 12.4, unit: 'G/L' }],
    }),
  );

/** The start of a Windows executable: what a spoofed ".dcm" upload really is. */
export const windowsExecutable = () =>
  Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(300, 0x41)]);

/** A DICOM file in the deflated transfer syntax whose data set inflates to about `pixelBytes`. */
export function deflatedDicom(pixelBytes: number): Buffer {
  const meta = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0010, 'UI', str('1.2.840.10008.1.2.1.99')),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length);
  const dataset = Buffer.concat([
    element(0x0008, 0x0060, 'CS', str('CT')),
    element(0x0028, 0x0010, 'US', u16(512)),
    element(0x7fe0, 0x0010, 'OW', Buffer.alloc(pixelBytes)),
  ]);
  return Buffer.concat([
    Buffer.alloc(128),
    str('DICM'),
    element(0x0002, 0x0000, 'UL', groupLength),
    meta,
    deflateRawSync(dataset, { level: 9 }),
  ]);
}
