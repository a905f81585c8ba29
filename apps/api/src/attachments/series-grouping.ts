import type { Attachment, Series } from '@caunoi/shared';
import type { StoredAttachment } from './attachments.repository';
import { orderSeries, type SeriesMember } from './series-order';

type Group = { uid: string; members: (SeriesMember & { stored: StoredAttachment })[] };

/**
 * The series of a consultation's attachments (listed in upload order), in order of first upload.
 * A slice whose SOPInstanceUID is already in its series (uploaded twice, or imported from the PACS
 * after an upload) is left out: the first copy stands for it, the stack does not show it twice.
 */
function groups(list: StoredAttachment[]): Group[] {
  const byUid = new Map<string, Group>();
  const seen = new Set<string>();
  for (const stored of list) {
    const uid = stored.attachment.series?.uid;
    if (!uid || !stored.slice) continue;
    const sop = stored.slice.sopInstanceUid;
    if (sop && seen.has(`${uid}/${sop}`)) continue;
    if (sop) seen.add(`${uid}/${sop}`);
    let group = byUid.get(uid);
    if (!group) byUid.set(uid, (group = { uid, members: [] }));
    group.members.push({ ...stored.slice, stored });
  }
  return [...byUid.values()].map((g) => ({ ...g, members: orderSeries(g.members) }));
}

/**
 * The attachments as listed, each DICOM instance with its place in its series (a repeated slice
 * keeps its series but gets no place: it is not part of the stack).
 */
export function withSliceIndex(list: StoredAttachment[]): Attachment[] {
  const place = new Map<string, { sliceIndex: number; sliceCount: number }>();
  for (const g of groups(list))
    g.members.forEach((m, i) => place.set(m.id, { sliceIndex: i, sliceCount: g.members.length }));
  return list.map(({ attachment: a }) =>
    a.series && place.has(a.id) ? { ...a, series: { ...a.series, ...place.get(a.id)! } } : a,
  );
}

const text = (v: unknown) => (typeof v === 'string' && v ? v : null);

export function groupSeries(list: StoredAttachment[]): Series[] {
  return groups(list).map((g) => {
    const first = g.members[0].stored.attachment;
    return {
      uid: g.uid,
      studyUid: first.series?.studyUid ?? null,
      modality: text(first.metadata.modality),
      description: text(first.metadata.studyDescription),
      instanceIds: g.members.map((m) => m.id),
      frames: g.members.reduce((n, m) => n + (m.stored.attachment.series?.frames ?? 1), 0),
    };
  });
}
