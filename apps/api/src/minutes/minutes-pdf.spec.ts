import { writeFileSync } from 'node:fs';
import { pdfText } from '../../test/support/pdf';
import type { MinutesDocument } from './minutes-document';
import { placeAndDate, recordNumber, renderMinutesPdf } from './minutes-pdf';

const signedAt = '2026-11-30T03:15:00.000Z'; // 10:15 in Vietnam

/** A signed live consultation's minutes, with what the renderer reads. */
export function sampleMinutesDocument(): MinutesDocument {
  const person = (id: string, fullName: string, licenseNumber: string | null) => ({
    id,
    fullName,
    licenseNumber,
  });
  return {
    minutes: {
      id: 'b1c2d3e4-0000-4000-8000-000000000001',
      consultationId: 'a1b2c3d4-0000-4000-8000-000000000002',
      version: 2,
      status: 'signed',
      summary: 'Nam 62 tuổi, ho khạc đờm 6 tuần, sốt về chiều, sụt 4 kg.',
      opinions: 'Hình ảnh X-quang gợi ý lao phổi; cần loại trừ u phổi.',
      conclusion: 'Nghi lao phổi AFB(-).',
      recommendations: 'Cấy đờm MGIT, GeneXpert; hẹn hội chẩn lại sau 2 tuần.',
      diagnoses: [
        { code: 'J18.9', name: 'Viêm phổi, không đặc hiệu', primary: false },
        { code: 'A15.0', name: 'Lao phổi, xác nhận bằng soi đờm', primary: true },
      ],
      chairId: 'c1',
      secretaryId: 's1',
      sessionId: 'e1',
      participants: [
        {
          userId: 'c1',
          fullName: 'PGS.TS. Trần Văn Minh',
          roles: ['specialist'],
          licenseNumber: '001234/BYT-CCHN',
          facilityId: 'f1',
          facilityName: 'Bệnh viện Trung ương A',
          joinedAt: '2026-11-30T02:00:00.000Z',
          leftAt: null,
        },
        {
          userId: 'r1',
          fullName: 'BS. Lê Thị Hoa',
          roles: ['requester'],
          licenseNumber: null,
          facilityId: 'f2',
          facilityName: 'Trung tâm Y tế huyện 1',
          joinedAt: '2026-11-30T02:01:00.000Z',
          leftAt: null,
        },
      ],
      supersedesId: 'b1c2d3e4-0000-4000-8000-000000000000',
      createdBy: 'c1',
      createdAt: signedAt,
      updatedAt: signedAt,
      signedAt,
      signedBy: 'c1',
    },
    consultation: {
      id: 'a1b2c3d4-0000-4000-8000-000000000002',
      specialty: 'hô hấp',
      urgency: 'urgent',
      question: 'Xin ý kiến chẩn đoán và hướng xử trí.',
    },
    patient: {
      id: 'p1',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1964-03-02',
      sex: 'male',
      nationalId: '025064001111',
      insuranceNumber: 'HC4010123456789',
    },
    requestingFacility: { id: 'f2', name: 'Trung tâm Y tế huyện 1', province: 'Phú Thọ' },
    targetFacility: {
      id: 'f1',
      name: 'Bệnh viện Trung ương A',
      province: 'Hà Nội',
      level: 'central',
    },
    requester: person('r1', 'BS. Lê Thị Hoa', null),
    chair: person('c1', 'PGS.TS. Trần Văn Minh', '001234/BYT-CCHN'),
    secretary: person('s1', 'ThS.BS. Phạm Thu Hà', null),
    session: {
      id: 'e1',
      startsAt: '2026-11-30T02:00:00.000Z',
      endsAt: '2026-11-30T03:00:00.000Z',
      status: 'ended',
      title: null,
    },
    attachments: [],
  } as unknown as MinutesDocument;
}

describe('minutes PDF in the form of a Vietnamese consultation record', () => {
  it('numbers the record and dates it in Vietnam time', () => {
    expect(placeAndDate('Hà Nội', signedAt)).toBe('Hà Nội, ngày 30 tháng 11 năm 2026');
    expect(placeAndDate('Hà Nội', '2026-11-30T18:00:00Z')).toBe(
      'Hà Nội, ngày 01 tháng 12 năm 2026',
    );
    expect(recordNumber(sampleMinutesDocument())).toBe('A1B2C3D4-2/BB-HCTX');
  });

  it('carries every part of the form, in order, as extractable Vietnamese text', async () => {
    const text = pdfText(await renderMinutesPdf(sampleMinutesDocument())).replace(/\s+/g, ' ');
    const parts = [
      'BỘ Y TẾ',
      'BỆNH VIỆN TRUNG ƯƠNG A',
      'Số: A1B2C3D4-2/BB-HCTX',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Hà Nội, ngày 30 tháng 11 năm 2026',
      'BIÊN BẢN HỘI CHẨN TỪ XA',
      'Hình thức: Hội chẩn từ xa qua hệ thống truyền hình trực tuyến, 2 điểm cầu kết nối',
      'Các điểm cầu: Bệnh viện Trung ương A; Trung tâm Y tế huyện 1',
      'Chủ trì: PGS.TS. Trần Văn Minh, CCHN 001234/BYT-CCHN',
      'Thư ký: ThS.BS. Phạm Thu Hà',
      '2. BS. Lê Thị Hoa — Bác sĩ đề nghị — Trung tâm Y tế huyện 1',
      'I. Thông tin người bệnh',
      'Họ và tên: Nguyễn Văn An',
      'II. Tóm tắt quá trình diễn biến bệnh',
      'III. Ý kiến thảo luận',
      'IV. Kết luận (chẩn đoán)',
      'Nghi lao phổi AFB(-).',
      'Chẩn đoán chính: Lao phổi, xác nhận bằng soi đờm (ICD-10: A15.0)',
      'Chẩn đoán kèm theo: Viêm phổi, không đặc hiệu (ICD-10: J18.9)',
      'V. Hướng xử trí, điều trị tiếp',
      'THƯ KÝ',
      'CHỦ TRÌ',
      'Đã ký điện tử lúc',
    ];
    if (process.env.MINUTES_PDF_OUT)
      writeFileSync(process.env.MINUTES_PDF_OUT, await renderMinutesPdf(sampleMinutesDocument()));
    let at = -1;
    for (const p of parts) {
      const next = text.indexOf(p, at + 1);
      expect([p, next > at]).toEqual([p, true]);
      at = next;
    }
  });
});
