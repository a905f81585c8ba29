import PDFDocument from 'pdfkit';
import type { MinutesDocument } from './minutes-document';

// DejaVu Sans has every Vietnamese glyph (ơ, ư, ạ, ẩ, ữ…); PDF's built-in Helvetica has none.
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const FONT_ITALIC = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf');

const SEX = { male: 'Nam', female: 'Nữ', other: 'Khác' } as const;
const URGENCY = { routine: 'Thường quy', urgent: 'Khẩn', emergency: 'Cấp cứu' } as const;
const ROLE = {
  specialist: 'Bác sĩ hội chẩn',
  requester: 'Bác sĩ đề nghị',
  coordinator: 'Điều phối viên',
  admin: 'Quản trị',
} as const;
const TZ = 'Asia/Ho_Chi_Minh';

/** Times are stored in UTC and shown in Vietnam time. */
export function vnTime(isoString: string | null | undefined): string {
  if (!isoString) return '—';
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone: TZ,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(isoString));
}

/** "Hà Nội, ngày 30 tháng 11 năm 2026": the place-and-date line of an administrative record. */
export function placeAndDate(place: string, isoString: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TZ,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    })
      .formatToParts(new Date(isoString))
      .map((p) => [p.type, p.value]),
  );
  return `${place}, ngày ${parts.day} tháng ${parts.month} năm ${parts.year}`;
}

/** The record's number: stable per consultation and version, as a register would give it. */
export function recordNumber(doc: MinutesDocument): string {
  return `${doc.consultation.id.slice(0, 8).toUpperCase()}-${doc.minutes.version}/BB-HCTX`;
}

/**
 * Signed minutes in the layout of a Vietnamese consultation record (biên bản hội chẩn) for a
 * remote consultation: national heading and motto beside the issuing facility and the record's
 * number, place and date, title; time and form (remote, with the connected sites); chair,
 * secretary and members with their role and facility; the patient; course of illness; opinions;
 * conclusion; treatment; the secretary's and the chair's signature blocks.
 */
export function renderMinutesPdf(doc: MinutesDocument): Promise<Buffer> {
  const { minutes, consultation, patient } = doc;
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: 48, bottom: 56, left: 62, right: 48 },
    info: {
      Title: `Biên bản hội chẩn — ${patient.fullName}`,
      Author: doc.targetFacility.name,
      Subject: 'Biên bản hội chẩn từ xa',
    },
  });
  pdf.registerFont('body', FONT_REGULAR);
  pdf.registerFont('bold', FONT_BOLD);
  pdf.registerFont('italic', FONT_ITALIC);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    pdf.on('end', () => resolve(Buffer.concat(chunks))),
  );

  // Text typed on some systems arrives decomposed (e + combining marks); NFC gives the font's
  // precomposed Vietnamese glyphs and text that extracts back as typed.
  const nfc = (text: string) => text.normalize('NFC');
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const heading = (text: string) =>
    pdf.moveDown(0.5).font('bold').fontSize(11.5).text(nfc(text), left, undefined, { width });
  const para = (text: string) =>
    pdf.font('body').fontSize(10.5).text(nfc(text), left, undefined, { width, align: 'justify' });
  const field = (label: string, value: string) =>
    pdf
      .font('bold')
      .fontSize(10.5)
      .text(`${label}: `, left, undefined, { continued: true, width })
      .font('body')
      .text(nfc(value));

  // Heading: the issuing facility and the record's number (left), the national heading (right).
  const top = pdf.y;
  const colW = width / 2 - 6;
  const rightX = left + width / 2 + 6;
  // The governing body above the facility: the Ministry for central hospitals, else the province's
  // Department of Health.
  const governing =
    doc.targetFacility.level === 'central'
      ? 'BỘ Y TẾ'
      : `SỞ Y TẾ ${doc.targetFacility.province.toUpperCase()}`;
  pdf.font('body').fontSize(9.5).text(nfc(governing), left, top, {
    width: colW,
    align: 'center',
  });
  pdf
    .font('bold')
    .fontSize(10)
    .text(nfc(doc.targetFacility.name.toUpperCase()), { width: colW, align: 'center' });
  pdf
    .font('body')
    .fontSize(10)
    .text(`Số: ${recordNumber(doc)}`, { width: colW, align: 'center' });
  const leftBottom = pdf.y;
  pdf.font('bold').fontSize(10).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, {
    width: colW,
    align: 'center',
  });
  pdf
    .font('bold')
    .fontSize(10.5)
    .text('Độc lập - Tự do - Hạnh phúc', { width: colW, align: 'center', underline: true });
  pdf
    .moveDown(0.4)
    .font('italic')
    .fontSize(10)
    .text(nfc(placeAndDate(doc.targetFacility.province, minutes.signedAt ?? minutes.updatedAt)), {
      width: colW,
      align: 'center',
    });
  pdf.y = Math.max(leftBottom, pdf.y) + 18;

  pdf
    .font('bold')
    .fontSize(15)
    .text('BIÊN BẢN HỘI CHẨN TỪ XA', left, undefined, { width, align: 'center' });
  pdf
    .font('italic')
    .fontSize(9.5)
    .text(
      `Phiên bản ${minutes.version}${minutes.supersedesId ? ' (đính chính, thay thế bản trước)' : ''} · Mã yêu cầu ${consultation.id}`,
      { width, align: 'center' },
    )
    .moveDown(0.6);

  const sites = [
    ...new Set(
      [
        doc.targetFacility.name,
        doc.requestingFacility.name,
        ...minutes.participants.map((p) => p.facilityName ?? ''),
      ].filter(Boolean),
    ),
  ];
  field(
    'Thời gian',
    doc.session
      ? `từ ${vnTime(doc.session.startsAt)} đến ${vnTime(doc.session.endsAt)} (giờ Việt Nam)`
      : `ký lúc ${vnTime(minutes.signedAt)} (giờ Việt Nam)`,
  );
  field(
    'Hình thức',
    doc.session
      ? `Hội chẩn từ xa qua hệ thống truyền hình trực tuyến, ${sites.length} điểm cầu kết nối`
      : 'Hội chẩn từ xa bằng văn bản (không họp trực tuyến)',
  );
  field('Các điểm cầu', sites.join('; '));
  field('Chuyên khoa', `${consultation.specialty} · Mức độ: ${URGENCY[consultation.urgency]}`);

  heading('Thành phần tham dự');
  const licence = (n: string | null) => (n ? `, CCHN ${n}` : '');
  field('Chủ trì', `${doc.chair.fullName}${licence(doc.chair.licenseNumber)}`);
  field('Thư ký', doc.secretary ? doc.secretary.fullName : '—');
  if (minutes.participants.length === 0) para('Thành viên: không có ghi nhận tham dự trực tuyến.');
  else para('Thành viên:');
  minutes.participants.forEach((p, i) =>
    para(
      `${i + 1}. ${p.fullName}${licence(p.licenseNumber)} — ${p.roles.map((r) => ROLE[r] ?? r).join(', ')} — ${p.facilityName ?? ''}; vào lúc ${vnTime(p.joinedAt)}`,
    ),
  );

  heading('I. Thông tin người bệnh');
  field('Họ và tên', patient.fullName);
  field('Ngày sinh', `${patient.dateOfBirth} · Giới tính: ${SEX[patient.sex]}`);
  if (patient.nationalId) field('Số CCCD', patient.nationalId);
  if (patient.insuranceNumber) field('Mã thẻ BHYT', patient.insuranceNumber);
  field(
    'Nơi điều trị, đề nghị hội chẩn',
    `${doc.requestingFacility.name} (${doc.requester.fullName})`,
  );
  field('Câu hỏi hội chẩn', consultation.question);

  heading('II. Tóm tắt quá trình diễn biến bệnh, điều trị và chăm sóc');
  para(minutes.summary);
  heading('III. Ý kiến thảo luận');
  para(minutes.opinions);
  heading('IV. Kết luận (chẩn đoán)');
  para(minutes.conclusion);
  const coded = [...minutes.diagnoses].sort((a, b) => Number(b.primary) - Number(a.primary));
  coded.forEach((d) =>
    field(d.primary ? 'Chẩn đoán chính' : 'Chẩn đoán kèm theo', `${d.name} (ICD-10: ${d.code})`),
  );
  heading('V. Hướng xử trí, điều trị tiếp');
  para(minutes.recommendations);

  // Signature blocks: the secretary left, the chair right; the chair's electronic signature.
  if (pdf.y > pdf.page.height - 170) pdf.addPage();
  pdf.moveDown(1.2);
  const signTop = pdf.y;
  const block = (x: number, role: string, name: string, note: string) => {
    pdf.font('bold').fontSize(10.5).text(role, x, signTop, { width: colW, align: 'center' });
    pdf.font('italic').fontSize(9).text('(Ký, ghi rõ họ tên)', { width: colW, align: 'center' });
    pdf.font('italic').fontSize(9).text(nfc(note), { width: colW, align: 'center' }).moveDown(2.2);
    pdf.font('bold').fontSize(10.5).text(nfc(name), { width: colW, align: 'center' });
  };
  block(left, 'THƯ KÝ', doc.secretary?.fullName ?? '', ' ');
  block(
    rightX,
    'CHỦ TRÌ',
    doc.chair.fullName,
    minutes.signedAt ? `Đã ký điện tử lúc ${vnTime(minutes.signedAt)}` : 'Chưa ký',
  );
  pdf.end();
  return done;
}
