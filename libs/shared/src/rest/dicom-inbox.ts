import { z } from 'zod';
import { InstantSchema } from './common';
import { DicomUidSchema } from './pacs';

/**
 * A facility's DICOM inbox: modalities or the PACS push studies (C-STORE) to the API's DICOM
 * port addressed to the facility's AE title; its requesters attach them to their requests.
 */
export const AeTitleSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_-]{1,16}$/, 'must be 1 to 16 capital letters, digits, _ or -');

/** `PUT /facilities/:id/dicom-inbox`: the called AE title, and optionally who may send. */
export const PutDicomInboxSchema = z.object({
  aeTitle: AeTitleSchema,
  /** Calling AE titles allowed to send; empty or left out: any. */
  callingAeTitles: z.array(AeTitleSchema).max(50).optional(),
});
export type PutDicomInbox = z.infer<typeof PutDicomInboxSchema>;

export const DicomInboxSettingsSchema = z.object({
  facilityId: z.uuid(),
  aeTitle: z.string(),
  callingAeTitles: z.array(z.string()),
  /** The port modalities send to (null: the receiver is off on this server). */
  port: z.number().int().nullable(),
  updatedAt: InstantSchema,
});
export type DicomInboxSettings = z.infer<typeof DicomInboxSettingsSchema>;

/** `GET /facilities/:id/dicom-inbox/studies`: what arrived, by study, newest first. */
export const DicomInboxStudySchema = z.object({
  studyUid: z.string(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  /** YYYY-MM-DD when the data set says. */
  studyDate: z.string().nullable(),
  description: z.string().nullable(),
  modalities: z.array(z.string()),
  instanceCount: z.number().int(),
  sizeBytes: z.number().int(),
  lastReceivedAt: InstantSchema,
});
export type DicomInboxStudy = z.infer<typeof DicomInboxStudySchema>;

/** `POST /consultations/:id/dicom-inbox-imports`: attach a received study to the request. */
export const AttachInboxStudySchema = z.object({ studyUid: DicomUidSchema });
export type AttachInboxStudy = z.infer<typeof AttachInboxStudySchema>;

export const InboxAttachResultSchema = z.object({
  studyUid: z.string(),
  /** Newly attached to the request. */
  stored: z.number().int(),
  /** Already attached to it (from the inbox or a PACS import). */
  skipped: z.number().int(),
});
export type InboxAttachResult = z.infer<typeof InboxAttachResultSchema>;
