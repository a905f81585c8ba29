import { z } from 'zod';

/**
 * What an attachment is, decided by the API from its bytes (its `kind`), with the media type it
 * is served as. Accepted file-name extensions per format are listed here too, so the upload
 * picker and the API refuse the same files.
 */
export const ATTACHMENT_FORMATS = ['pdf', 'png', 'jpeg', 'dicom', 'lab_results'] as const;
export const AttachmentFormatSchema = z.enum(ATTACHMENT_FORMATS);
export type AttachmentFormat = z.infer<typeof AttachmentFormatSchema>;

export const ATTACHMENT_MEDIA_TYPES: Readonly<Record<AttachmentFormat, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  dicom: 'application/dicom',
  lab_results: 'application/json',
};

export const ATTACHMENT_EXTENSIONS: Readonly<Record<AttachmentFormat, readonly string[]>> = {
  pdf: ['pdf'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg'],
  dicom: ['dcm', 'dicom'],
  lab_results: ['json'],
};

/** The `accept` list of a file picker: every accepted extension and media type. */
export const ATTACHMENT_ACCEPT: string = [
  ...ATTACHMENT_FORMATS.flatMap((f) => ATTACHMENT_EXTENSIONS[f].map((ext) => `.${ext}`)),
  ...ATTACHMENT_FORMATS.map((f) => ATTACHMENT_MEDIA_TYPES[f]),
].join(',');

/** How a client shows an attachment: which viewer opens it. */
export const ATTACHMENT_DISPLAY_KINDS = ['pdf', 'image', 'dicom', 'other'] as const;
export type AttachmentDisplayKind = (typeof ATTACHMENT_DISPLAY_KINDS)[number];

const DISPLAY_KIND: Readonly<Record<AttachmentFormat, AttachmentDisplayKind>> = {
  pdf: 'pdf',
  png: 'image',
  jpeg: 'image',
  dicom: 'dicom',
  lab_results: 'other',
};

export function displayKindOf(format: AttachmentFormat): AttachmentDisplayKind {
  return DISPLAY_KIND[format];
}
