/**
 * Whether a PACS patient name plainly belongs to someone else than the request's patient: no
 * word in common once accents, case and DICOM's `^` separators are set aside (PACS names are
 * often written without accents: "LE^VAN^C" shares "le van" with "Lê Văn Chụp"). A hint for
 * the doctor before importing, never a block: names are typed differently between systems.
 */
export function looksLikeAnotherPatient(pacsName: string | null, requestName: string | null) {
  if (!pacsName || !requestName) return false;
  const words = (s: string) =>
    new Set(
      s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/gi, 'd')
        .toLowerCase()
        .split(/[\s^,.]+/)
        .filter((w) => w.length > 1),
    );
  const mine = words(requestName);
  const theirs = words(pacsName);
  if (!mine.size || !theirs.size) return false;
  return ![...theirs].some((w) => mine.has(w));
}
