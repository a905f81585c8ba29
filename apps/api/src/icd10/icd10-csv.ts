import { parse } from 'csv-parse/sync';
import { ICD10_CODE, icd10Chapter, isStorableText, type Icd10Entry } from '@caunoi/shared';

export interface ParsedCatalogue {
  entries: Icd10Entry[];
  rejected: { line: number; message: string }[];
}

const HEADER = /^(code|mã|ma)$/i;

/**
 * The catalogue as CSV: `code, Vietnamese name, English name` (English optional), UTF-8 with or
 * without a BOM, comma or semicolon separated, an optional header line. Each bad line is reported
 * with its number; the good ones are kept.
 */
export function parseIcd10Csv(text: string): ParsedCatalogue {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const delimiter =
    (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: string[][] = parse(source, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  });
  const entries = new Map<string, Icd10Entry>();
  const rejected: ParsedCatalogue['rejected'] = [];
  records.forEach((r, i) => {
    const line = i + 1;
    if (i === 0 && HEADER.test(r[0] ?? '')) return;
    const code = (r[0] ?? '').toUpperCase();
    const nameVi = r[1] ?? '';
    const nameEn = r[2] || null;
    if (!ICD10_CODE.test(code))
      rejected.push({ line, message: `code "${code.slice(0, 20)}" is not an ICD-10 code` });
    else if (!nameVi || nameVi.length > 500)
      rejected.push({ line, message: 'Vietnamese name missing or too long' });
    else if (![nameVi, nameEn ?? ''].every(isStorableText))
      rejected.push({ line, message: 'invalid characters' });
    else
      entries.set(code, {
        code,
        nameVi,
        nameEn: nameEn?.slice(0, 500) ?? null,
        chapter: icd10Chapter(code),
      });
  });
  return { entries: [...entries.values()], rejected };
}
