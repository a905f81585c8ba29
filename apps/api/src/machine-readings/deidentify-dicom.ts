import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import * as dicomParser from 'dicom-parser';

/**
 * What leaves the hospital for a machine reader: a new DICOM file built from a short list of
 * image and geometry attributes, never a copy of the original with some tags removed. Anything
 * not on the list (patient name, ID, birth date, sex, accession number, institution, physicians,
 * dates, study and series UIDs, free-text descriptions, private tags) is simply not written.
 * The SOP instance UID is replaced by a random one; the file says so in Patient Identity Removed.
 * Pixels are copied as they are: an image whose pixels carry burned-in text is not sent.
 */

type Vr = 'CS' | 'DS' | 'IS' | 'US' | 'UI';
/** tag → VR of the attributes copied across. */
const KEPT: Record<string, Vr> = {
  x00080016: 'UI', // SOP Class UID
  x00080060: 'CS', // Modality
  x00180015: 'CS', // Body Part Examined
  x00181164: 'DS', // Imager Pixel Spacing
  x00200020: 'CS', // Patient Orientation (L/R, A/P: image geometry, not identity)
  x00280002: 'US', // Samples per Pixel
  x00280004: 'CS', // Photometric Interpretation
  x00280006: 'US', // Planar Configuration
  x00280008: 'IS', // Number of Frames
  x00280010: 'US', // Rows
  x00280011: 'US', // Columns
  x00280030: 'DS', // Pixel Spacing
  x00280100: 'US', // Bits Allocated
  x00280101: 'US', // Bits Stored
  x00280102: 'US', // High Bit
  x00280103: 'US', // Pixel Representation
  x00281050: 'DS', // Window Center
  x00281051: 'DS', // Window Width
  x00281052: 'DS', // Rescale Intercept
  x00281053: 'DS', // Rescale Slope
};

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';
const BIG_ENDIAN = '1.2.840.10008.1.2.2';
/** Fixed implementation class UID of what Cầu Nối writes (a UUID-derived 2.25 UID). */
const IMPLEMENTATION_UID = '2.25.302418393929573526040328893405612378361';

/** The image cannot be sent; the reason is shown to clinicians and operators as it is. */
export class NotSendableError extends Error {}

export interface DeidentifiedImage {
  dicom: Buffer;
  columns: number;
  rows: number;
  /** Attributes that made it into the file, by keyword (for the documentation and tests). */
  kept: string[];
}

const uidFromUuid = (u: string) => `2.25.${BigInt(`0x${u.replace(/-/g, '')}`).toString()}`;

function element(tag: string, vr: string, value: Buffer, undefinedLength = false): Buffer {
  const group = parseInt(tag.slice(1, 5), 16);
  const elem = parseInt(tag.slice(5, 9), 16);
  const data =
    value.length % 2 && !undefinedLength
      ? Buffer.concat([value, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])])
      : value;
  const long = vr === 'OB' || vr === 'OW';
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elem, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(undefinedLength ? 0xffffffff : data.length, 8);
  else header.writeUInt16LE(data.length, 6);
  return Buffer.concat([header, data]);
}

const str = (s: string) => Buffer.from(s, 'latin1');

const inflateRaw = promisify(zlib.inflateRaw);

/** Thrown by the first pass's inflater: where the deflated data set starts. */
class DeflatedAt {
  constructor(readonly position: number) {}
}

function parseWith(file: Buffer, inflater: (bytes: Uint8Array, position: number) => Uint8Array) {
  return dicomParser.parseDicom(new Uint8Array(file.buffer, file.byteOffset, file.byteLength), {
    inflater,
  } as dicomParser.ParseDicomOptions);
}

/**
 * Parses the whole file. A deflated data set is inflated asynchronously (zlib's thread pool,
 * bounded by `maxInflatedBytes`) between two passes, so a large one never blocks the API's event
 * loop: the first pass stops where the deflated part begins, the second is handed the result.
 */
async function parse(file: Buffer, maxInflatedBytes: number): Promise<dicomParser.DataSet> {
  const unreadable = (err: unknown) => {
    const msg = typeof err === 'string' ? err : (err as Error)?.message;
    return new NotSendableError(`the DICOM file cannot be read (${String(msg).slice(0, 200)})`);
  };
  try {
    return parseWith(file, (_bytes, position) => {
      throw new DeflatedAt(position);
    });
  } catch (err) {
    if (!(err instanceof DeflatedAt)) throw unreadable(err);
    let inflated: Buffer;
    try {
      inflated = await inflateRaw(file.subarray(err.position), {
        maxOutputLength: maxInflatedBytes,
      });
    } catch (e) {
      throw unreadable(e);
    }
    try {
      return parseWith(file, (bytes, position) => {
        const full = new Uint8Array(position + inflated.length);
        full.set(bytes.subarray(0, position), 0);
        full.set(inflated, position);
        return full;
      });
    } catch (e) {
      throw unreadable(e);
    }
  }
}

/** The de-identified copy of `file` for a machine reader, or NotSendableError saying why not. */
export async function deidentifyDicom(
  file: Buffer,
  maxInflatedBytes: number,
): Promise<DeidentifiedImage> {
  const ds = await parse(file, maxInflatedBytes);
  const syntax = ds.string('x00020010')?.trim() ?? IMPLICIT_LE;
  if (syntax === BIG_ENDIAN) throw new NotSendableError('big-endian DICOM files are not sent');
  const pixels = ds.elements.x7fe00010;
  if (!pixels) throw new NotSendableError('the DICOM file has no pixel data');
  if (ds.string('x00280301')?.trim().toUpperCase() === 'YES')
    throw new NotSendableError('the image has burned-in annotation (text in the pixels)');
  const columns = ds.uint16('x00280011') ?? 0;
  const rows = ds.uint16('x00280010') ?? 0;
  if (!columns || !rows) throw new NotSendableError('the DICOM file gives no image size');

  const sopClass = ds.string('x00080016')?.trim() || ds.string('x00020002')?.trim() || '';
  const instance = uidFromUuid(randomUUID());
  const encapsulated = pixels.hadUndefinedLength === true;
  // A deflated or implicit data set is rewritten explicit; encapsulated pixels keep their codec.
  const outSyntax = encapsulated ? syntax : EXPLICIT_LE;

  const body: Buffer[] = [];
  const kept: string[] = [];
  const raw = (tag: string) => {
    const e = ds.elements[tag];
    return Buffer.from(ds.byteArray.buffer, ds.byteArray.byteOffset + e.dataOffset, e.length);
  };
  const add = (tag: string) => {
    if (tag === 'x00080018') body.push(element(tag, 'UI', str(instance)));
    else if (KEPT[tag] && ds.elements[tag]) body.push(element(tag, KEPT[tag], raw(tag)));
    else if (tag === 'x00120062') body.push(element(tag, 'CS', str('YES')));
    else if (tag === 'x00120063')
      body.push(element(tag, 'LO', str('Cau Noi: image and geometry attributes only')));
    else return;
    kept.push(tag);
  };
  // Data elements in ascending tag order, as DICOM requires.
  const tags = [...Object.keys(KEPT), 'x00080018', 'x00120062', 'x00120063'].sort();
  for (const tag of tags) add(tag);
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  const pixelVr = encapsulated || bitsAllocated <= 8 ? 'OB' : 'OW';
  body.push(element('x7fe00010', pixelVr, raw('x7fe00010'), encapsulated));

  const metaBody = Buffer.concat([
    element('x00020001', 'OB', Buffer.from([0, 1])),
    element('x00020002', 'UI', str(sopClass)),
    element('x00020003', 'UI', str(instance)),
    element('x00020010', 'UI', str(outSyntax)),
    element('x00020012', 'UI', str(IMPLEMENTATION_UID)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length, 0);
  const meta = Buffer.concat([element('x00020000', 'UL', groupLength), metaBody]);
  if (syntax !== EXPLICIT_LE && syntax !== IMPLICIT_LE && syntax !== DEFLATED && !encapsulated)
    throw new NotSendableError(`transfer syntax ${syntax} is not sent`);
  return {
    dicom: Buffer.concat([Buffer.alloc(128), str('DICM'), meta, ...body]),
    columns,
    rows,
    kept,
  };
}
