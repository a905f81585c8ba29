import type { Attachment } from '@caunoi/shared';

/** One image of a stack: a frame of an attachment. */
export interface StackSlice {
  attachmentId: string;
  frame: number;
}

/**
 * What opens as one scrollable stack: the instances of a series (several attachments with the
 * same series UID, in the API's slice order) or the frames of one multi-frame file. `anchorId`
 * (the first instance) is the attachment the shared view names while the slice moves.
 */
export interface StackSpec {
  anchorId: string;
  seriesUid: string | null;
  slices: StackSlice[];
}

const sliceOrder = (a: Attachment, b: Attachment) =>
  (a.series?.sliceIndex ?? Infinity) - (b.series?.sliceIndex ?? Infinity) ||
  (a.series?.instanceNumber ?? Infinity) - (b.series?.instanceNumber ?? Infinity) ||
  a.createdAt.localeCompare(b.createdAt);

/**
 * The members of `a`'s series among `attachments`, in slice order (just `a` without a series).
 * When the API placed the slices (`sliceIndex`), a copy it left out (the same slice uploaded
 * again) is not a member: it stays an ordinary file.
 */
export function seriesMembers(a: Attachment, attachments: Attachment[]): Attachment[] {
  const uid = a.series?.uid;
  if (!uid || a.kind !== 'dicom') return [a];
  const all = attachments.filter((x) => x.kind === 'dicom' && x.series?.uid === uid);
  if (!all.some((x) => x.series?.sliceIndex !== undefined)) return all.sort(sliceOrder);
  if (a.series?.sliceIndex === undefined) return [a];
  return all.filter((x) => x.series?.sliceIndex !== undefined).sort(sliceOrder);
}

/** The stack `selected` belongs to, or null when it is an ordinary single image or document. */
export function stackOf(selected: Attachment | null, attachments: Attachment[]): StackSpec | null {
  if (!selected || selected.kind !== 'dicom') return null;
  const members = seriesMembers(selected, attachments);
  const slices = members.flatMap((m) =>
    // A multi-frame file says its frames even without a series UID.
    Array.from({ length: m.series?.frames ?? m.frames ?? 1 }, (_, frame) => ({
      attachmentId: m.id,
      frame,
    })),
  );
  if (slices.length < 2) return null;
  return { anchorId: members[0].id, seriesUid: selected.series?.uid ?? null, slices };
}

/** A document choice: a file, or a whole series listed once under its first instance. */
export interface DocumentOption {
  id: string;
  fileName: string;
  /** Instances when the option stands for a series of several. */
  count: number | null;
  description: string | null;
}

const word = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** "CT Ngực có thuốc": the modality, unless the description already starts with it. */
export function describeSeries(metadata: Record<string, unknown>): string | null {
  const modality = word(metadata.modality);
  const text = word(metadata.studyDescription);
  if (!text) return modality;
  return modality && !text.toUpperCase().startsWith(modality.toUpperCase())
    ? `${modality} ${text}`
    : text;
}

/** The viewer's document list: each series of several instances once, other files as they are. */
export function documentOptions(attachments: Attachment[]): DocumentOption[] {
  const seen = new Set<string>();
  const out: DocumentOption[] = [];
  for (const a of attachments) {
    const members = seriesMembers(a, attachments);
    if (members.length < 2) {
      out.push({ id: a.id, fileName: a.fileName, count: null, description: null });
      continue;
    }
    if (seen.has(a.series!.uid)) continue;
    seen.add(a.series!.uid);
    out.push({
      id: members[0].id,
      fileName: members[0].fileName,
      count: members.length,
      description: describeSeries(members[0].metadata),
    });
  }
  return out;
}

/** The slice to show: the view's, kept inside the stack. */
export function clampSlice(slice: number | undefined, count: number): number {
  if (!count) return 0;
  return Math.min(count - 1, Math.max(0, Math.round(slice ?? 0)));
}
