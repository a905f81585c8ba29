/**
 * DICOM instances of a made-up study, for tests that need a PACS to hold something: every
 * instance carries the patient, study, series and instance UIDs a PACS indexes, and either 16-bit
 * native pixels or (`compressed: true`) the 8-bit image as JPEG baseline, so an import can be
 * checked to keep compressed files as they are.
 */
import { element, syntheticGrey, syntheticPixel } from './dicom.mjs';
import { encodeBaselineJpeg } from './jpeg.mjs';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

function item(tagElem, data) {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0xfffe, 0);
  header.writeUInt16LE(tagElem, 2);
  header.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, data]);
}

function encapsulated(jpeg) {
  const fragment = jpeg.length % 2 ? Buffer.concat([jpeg, Buffer.from([0])]) : jpeg;
  const header = Buffer.alloc(12);
  header.writeUInt16LE(0x7fe0, 0);
  header.writeUInt16LE(0x0010, 2);
  header.write('OB', 4, 'latin1');
  header.writeUInt32LE(0xffffffff, 8); // undefined length: encapsulated
  return Buffer.concat([
    header,
    item(0xe000, Buffer.alloc(0)),
    item(0xe000, fragment),
    item(0xe0dd, Buffer.alloc(0)),
  ]);
}

/** One instance of a study; elements are written in tag order, as DICOM requires. */
export function makeStudyInstance(o) {
  const rows = o.rows ?? 32;
  const columns = o.columns ?? 32;
  const compressed = !!o.compressed;
  const sopClass = compressed ? SECONDARY_CAPTURE : CT_IMAGE;
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', sopClass),
    element(0x0002, 0x0003, 'UI', o.sopInstanceUid),
    element(0x0002, 0x0010, 'UI', compressed ? JPEG_BASELINE : EXPLICIT_LE),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1234'),
  ]);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', metaBody.length), metaBody]);
  let pixelData;
  if (compressed) {
    const grey = new Uint8Array(rows * columns);
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++) grey[y * columns + x] = syntheticGrey(x, y, columns, rows);
    pixelData = encapsulated(encodeBaselineJpeg(grey, columns, rows, 90));
  } else {
    const pixels = Buffer.alloc(rows * columns * 2);
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++)
        pixels.writeUInt16LE(
          syntheticPixel(x, y, columns, rows) + (o.instanceNumber ?? 1),
          (y * columns + x) * 2,
        );
    pixelData = element(0x7fe0, 0x0010, 'OW', pixels);
  }
  const bits = compressed ? [8, 8, 7] : [16, 12, 11];
  const dataset = Buffer.concat([
    element(0x0008, 0x0016, 'UI', sopClass),
    element(0x0008, 0x0018, 'UI', o.sopInstanceUid),
    element(0x0008, 0x0020, 'DA', o.studyDate ?? '20261120'),
    element(0x0008, 0x0050, 'SH', o.accessionNumber ?? 'ACC-0001'),
    element(0x0008, 0x0060, 'CS', o.modality ?? 'CT'),
    element(0x0008, 0x1030, 'LO', o.studyDescription ?? 'CT NGUC'),
    element(0x0008, 0x103e, 'LO', o.seriesDescription ?? 'AXIAL'),
    element(0x0010, 0x0010, 'PN', o.patientName ?? 'NGUYEN^VAN^A'),
    element(0x0010, 0x0020, 'LO', o.patientId ?? 'PID-0001'),
    element(0x0020, 0x000d, 'UI', o.studyInstanceUid),
    element(0x0020, 0x000e, 'UI', o.seriesInstanceUid),
    element(0x0020, 0x0011, 'IS', String(o.seriesNumber ?? 1)),
    element(0x0020, 0x0013, 'IS', String(o.instanceNumber ?? 1)),
    element(0x0028, 0x0002, 'US', 1),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0010, 'US', rows),
    element(0x0028, 0x0011, 'US', columns),
    element(0x0028, 0x0100, 'US', bits[0]),
    element(0x0028, 0x0101, 'US', bits[1]),
    element(0x0028, 0x0102, 'US', bits[2]),
    element(0x0028, 0x0103, 'US', 0),
    pixelData,
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, dataset]);
}

/**
 * A study of two series under `root` (a UID prefix): series 1 of `instances` native CT slices,
 * series 2 of one JPEG-compressed secondary capture. Returns the UIDs and every file.
 */
export function makeStudy(o = {}) {
  const root = o.root ?? '1.2.826.0.1.3680043.10.9001';
  const studyInstanceUid = `${root}.1`;
  const common = {
    studyInstanceUid,
    patientId: o.patientId ?? 'PID-0001',
    patientName: o.patientName ?? 'NGUYEN^VAN^A',
    studyDate: o.studyDate ?? '20261120',
    studyDescription: o.studyDescription ?? 'CT NGUC',
    accessionNumber: o.accessionNumber ?? 'ACC-0001',
  };
  const ct = { uid: `${root}.2.1`, files: [] };
  const n = o.instances ?? 3;
  for (let i = 1; i <= n; i++)
    ct.files.push({
      sopInstanceUid: `${root}.3.1.${i}`,
      bytes: makeStudyInstance({
        ...common,
        seriesInstanceUid: ct.uid,
        sopInstanceUid: `${root}.3.1.${i}`,
        modality: o.modality ?? 'CT',
        seriesNumber: 1,
        instanceNumber: i,
      }),
    });
  const sc = { uid: `${root}.2.2`, files: [] };
  sc.files.push({
    sopInstanceUid: `${root}.3.2.1`,
    bytes: makeStudyInstance({
      ...common,
      seriesInstanceUid: sc.uid,
      sopInstanceUid: `${root}.3.2.1`,
      modality: 'OT',
      seriesNumber: 2,
      instanceNumber: 1,
      seriesDescription: 'KEY IMAGE JPEG',
      compressed: true,
    }),
  });
  return { studyInstanceUid, ...common, series: [ct, sc] };
}
