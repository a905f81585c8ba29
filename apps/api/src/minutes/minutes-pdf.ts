import PDFDocument from 'pdfkit';
import type { MinutesDocument } from './minutes-document';

// DejaVu Sans has every Vietnamese glyph (ơ, ư, ạ, ẩ, ữ…); PDF's built-in Helvetica has none.
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const SEX = { male: 'Nam', female: 'Nữ', other: 'Khác' } as const;
const URGENCY = { routine: 'Thường quy', urgent: 'Khẩn', emergency: 'Cấp cứu' } as const;

/** Times are stored in UTC and shown in Vietnam time. */
export function vnTime(isoString: string | null | undefined): string {
  if (!isoString) return '—';
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(isoString));
}

export function renderMinutesPdf(doc: MinutesDocument): Promise<Buffer> {
  const { minutes, consultation, patient } = doc;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `Biên bản hội chẩn — ${patient.fullName}`,
      Author: doc.targetFacility.name,
      Subject: 'Biên bản hội chẩn từ xa',
    },
  });
  pdf.registerFont('body', FONT_REGULAR);
  pdf.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    pdf.on('end', () => resolve(Buffer.concat(chunks))),
  );

  // Text typed on some systems arrives decomposed (e + combining marks); NFC gives the font's
  // precomposed Vietnamese glyphs and text that extracts back as typed.
  const nfc = (text: string) => text.normalize('NFC');
  const heading = (text: string) =>
    pdf.moveDown(0.6).font('bold').fontSize(12).text(nfc(text)).moveDown(0.2);
  const para = (text: string) => pdf.font('body').fontSize(10.5).text(nfc(text), { align: 'left' });
  const field = (label: string, value: string) =>
    pdf
      .font('bold')
      .fontSize(10.5)
      .text(`${label}: `, { continued: true })
      .font('body')
      .text(nfc(value));

  pdf.font('bold').fontSize(11).text(doc.targetFacility.name.toUpperCase(), { align: 'center' });
  pdf.moveDown(0.5).fontSize(16).text('BIÊN BẢN HỘI CHẨN TỪ XA', { align: 'center' });
  pdf
    .font('body')
    .fontSize(10)
    .text(
      `Phiên bản ${minutes.version}${minutes.supersedesId ? ' (đính chính bản trước)' : ''} · Mã yêu cầu ${consultation.id}`,
      {
        align: 'center',
      },
    );

  heading('I. Thông tin chung');
  field(
    'Người bệnh',
    `${patient.fullName} · ${SEX[patient.sex]} · sinh ngày ${patient.dateOfBirth}`,
  );
  if (patient.nationalId) field('Số CCCD', patient.nationalId);
  if (patient.insuranceNumber) field('Mã thẻ BHYT', patient.insuranceNumber);
  field('Đơn vị đề nghị', `${doc.requestingFacility.name} (${doc.requester.fullName})`);
  field('Đơn vị hội chẩn', doc.targetFacility.name);
  field('Chuyên khoa', `${consultation.specialty} · Mức độ: ${URGENCY[consultation.urgency]}`);
  if (doc.session)
    field(
      'Thời gian',
      `${vnTime(doc.session.startsAt)} – ${vnTime(doc.session.endsAt)} (giờ Việt Nam)`,
    );
  field('Câu hỏi hội chẩn', consultation.question);

  heading('II. Thành phần tham dự');
  if (minutes.participants.length === 0) para('Không có ghi nhận tham dự trực tuyến.');
  for (const p of minutes.participants) {
    para(
      `• ${p.fullName}${p.licenseNumber ? ` (CCHN ${p.licenseNumber})` : ''} — ${p.facilityName ?? ''}, vào lúc ${vnTime(p.joinedAt)}`,
    );
  }

  heading('III. Tóm tắt bệnh án');
  para(minutes.summary);
  heading('IV. Ý kiến thảo luận');
  para(minutes.opinions);
  heading('V. Kết luận');
  para(minutes.conclusion);
  heading('VI. Hướng xử trí, điều trị');
  para(minutes.recommendations);

  pdf.moveDown(1.2);
  field(
    'Chủ trì',
    `${doc.chair.fullName}${doc.chair.licenseNumber ? ` (CCHN ${doc.chair.licenseNumber})` : ''}`,
  );
  if (doc.secretary) field('Thư ký', doc.secretary.fullName);
  field('Ký số', `${doc.chair.fullName} đã ký lúc ${vnTime(minutes.signedAt)}`);
  pdf.end();
  return done;
}
