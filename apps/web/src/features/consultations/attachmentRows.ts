import type { Attachment } from '@caunoi/shared';
import { describeSeries, seriesMembers } from '../../viewer/stack/stacks';

/**
 * A row of an attachment list: one file, or a whole DICOM series (several instances sharing a
 * series UID) standing as one row, so a 120-slice CT is one line and not 120.
 */
export type AttachmentRow =
  | { kind: 'file'; attachment: Attachment }
  | {
      kind: 'series';
      uid: string;
      /** The series' first instance in slice order: what the viewer opens it on. */
      anchor: Attachment;
      /** Every instance, in slice order. */
      members: Attachment[];
      /** "CT Ngực có thuốc" (modality + study description), null when the file says neither. */
      description: string | null;
      sizeBytes: number;
    };

/** The rows of a list, in the list's order: a series where its first-listed instance stands. */
export function attachmentRows(attachments: Attachment[]): AttachmentRow[] {
  const seen = new Set<string>();
  const rows: AttachmentRow[] = [];
  for (const a of attachments) {
    const members = seriesMembers(a, attachments);
    // A single file (a multi-frame one too), or a copy of a slice the API left out of its series.
    if (members.length < 2) {
      rows.push({ kind: 'file', attachment: a });
      continue;
    }
    const uid = a.series!.uid;
    if (seen.has(uid)) continue;
    seen.add(uid);
    rows.push({
      kind: 'series',
      uid,
      anchor: members[0],
      members,
      description: describeSeries(members[0].metadata),
      sizeBytes: members.reduce((sum, m) => sum + m.sizeBytes, 0),
    });
  }
  return rows;
}
