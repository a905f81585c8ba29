/** A minimal, valid one-page PDF (correct xref offsets) with a line of text. */
export function makePdf(text = 'Lab report: WBC 12.5 G/L, CRP 48 mg/L') {
  const safe = text.replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 60 760 Td (${safe}) Tj ET\nBT /F1 12 Tf 60 730 Td (Cau Noi test fixture) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The lab report the API tests upload. */
export function labReportPdf(text = 'Lab report: CRP 48 mg/L, WBC 12.4 G/L') {
  return makePdf(text);
}
