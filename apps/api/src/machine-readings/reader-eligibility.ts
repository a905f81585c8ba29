/** Words that mark a study description as a chest image when the body part tag is missing. */
const CHEST_WORDS = /\b(chest|thorax|thoracic|lungs?|nguc|phoi)\b/i;

const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : '');

/**
 * Whether a registered reader reads this image, from the DICOM summary kept at upload: its
 * modality is one the reader reads, and its body part is one of the reader's or, with no body
 * part tag (common in CR from small sites), its description names it ("CHEST PA", "XQ NGUC").
 * Null when it does; otherwise why not.
 */
export function whyNotForReader(
  metadata: Record<string, unknown>,
  reader: { modalities: string[]; bodyParts: string[] },
): string | null {
  const modality = norm(metadata.modality);
  if (!reader.modalities.includes(modality))
    return `modality ${modality || 'unknown'} is not one the reader reads`;
  const bodyPart = norm(metadata.bodyPart);
  if (bodyPart) return reader.bodyParts.includes(bodyPart) ? null : `body part ${bodyPart}`;
  const description = String(metadata.studyDescription ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd');
  const named = reader.bodyParts.some((p) =>
    p === 'CHEST'
      ? CHEST_WORDS.test(description)
      : new RegExp(`\\b${p.replace(/_/g, ' ')}\\b`, 'i').test(description),
  );
  return named ? null : 'no body part the reader reads in the tags or the description';
}
