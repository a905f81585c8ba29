import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_FORMATS,
  ATTACHMENT_MEDIA_TYPES,
  type AttachmentFormat,
} from '@caunoi/shared';

/**
 * The type of an upload is decided from its bytes; the name and declared MIME type only get a
 * chance to disagree (→ 415). An executable renamed to .dcm has no DICM preamble and is refused.
 */
export type AttachmentKind = AttachmentFormat;

const EXTENSIONS: Record<string, AttachmentKind> = Object.fromEntries(
  ATTACHMENT_FORMATS.flatMap((f) => ATTACHMENT_EXTENSIONS[f].map((ext) => [ext, f])),
);

const DECLARED_TYPES: Record<string, AttachmentKind> = Object.fromEntries(
  ATTACHMENT_FORMATS.map((f) => [ATTACHMENT_MEDIA_TYPES[f], f]),
);

/** How many leading bytes `sniff` needs. */
export const SNIFF_BYTES = 132;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** 'json?' means "looks like JSON": the caller confirms by parsing the whole file. */
export function sniff(head: Buffer): AttachmentKind | 'json?' | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 132 && head.subarray(128, 132).toString('latin1') === 'DICM') return 'dicom';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return 'json?';
  return null;
}

/** The kind the client claims by file extension or part Content-Type; undefined when it claims nothing we know. */
export function claimedKinds(
  fileName: string,
  declaredType: string | undefined,
): { ext?: AttachmentKind; type?: AttachmentKind; badExt?: string } {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName);
  const ext = m?.[1].toLowerCase();
  const type = declaredType?.split(';')[0].trim().toLowerCase();
  return {
    ext: ext ? EXTENSIONS[ext] : undefined,
    badExt: ext && !EXTENSIONS[ext] ? ext : undefined,
    type: type ? DECLARED_TYPES[type] : undefined,
  };
}
