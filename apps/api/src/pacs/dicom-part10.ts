import dicomParser from 'dicom-parser';

/** Our implementation class UID (under the UID root the test fixtures use too) and version. */
const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1234.100';
const IMPLEMENTATION_VERSION = 'CAUNOI_1';

function element(group: number, elem: number, vr: string, value: Buffer | string): Buffer {
  let data = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (data.length % 2)
    data = Buffer.concat([data, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])]);
  const long = vr === 'OB';
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elem, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(data.length, 8);
  else header.writeUInt16LE(data.length, 6);
  return Buffer.concat([header, data]);
}

/**
 * The start of a DICOM Part 10 file for a data set received over the network (C-STORE sends
 * the data set alone, in the negotiated transfer syntax): preamble, `DICM` and the file meta
 * group. The data set's own bytes follow unchanged.
 */
export function part10Header(m: {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  sourceAeTitle: string;
}): Buffer {
  const body = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', m.sopClassUid),
    element(0x0002, 0x0003, 'UI', m.sopInstanceUid),
    element(0x0002, 0x0010, 'UI', m.transferSyntaxUid),
    element(0x0002, 0x0012, 'UI', IMPLEMENTATION_CLASS_UID),
    element(0x0002, 0x0013, 'SH', IMPLEMENTATION_VERSION),
    element(0x0002, 0x0016, 'AE', m.sourceAeTitle.slice(0, 16)),
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length, 0);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    element(0x0002, 0x0000, 'UL', length),
    body,
  ]);
}

/** What the inbox lists of an instance: who, which study and series, when, what. */
export interface InboxFacts {
  studyUid: string | null;
  seriesUid: string | null;
  patientId: string | null;
  patientName: string | null;
  studyDate: string | null;
  description: string | null;
  modality: string | null;
}

/**
 * Reads the listing facts from the start of a Part 10 file, stopping before the pixel data (the
 * head may be cut there). Deflated data sets are refused at negotiation, so nothing inflates.
 */
export function inboxFacts(head: Buffer): InboxFacts {
  const ds = dicomParser.parseDicom(new Uint8Array(head), { untilTag: 'x7fe00010' });
  const s = (tag: string, max = 200) => ds.string(tag)?.trim().slice(0, max) || null;
  const da = s('x00080020');
  return {
    studyUid: s('x0020000d', 64),
    seriesUid: s('x0020000e', 64),
    patientId: s('x00100020', 64),
    patientName: s('x00100010'),
    studyDate:
      da && /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6)}` : null,
    description: s('x00081030'),
    modality: s('x00080060', 16),
  };
}
