import type { ConsultationStatus, Urgency } from '@caunoi/shared';

/** Demo patients, registered by the district and commune sites of the demo accounts. */
export const DEMO_PATIENTS = [
  {
    key: 'an',
    facility: 'TTYT-H1',
    fullName: 'Nguyễn Văn An',
    dateOfBirth: '1958-03-14',
    sex: 'male',
    nationalId: '025058001234',
    insuranceNumber: 'HT2250012345678',
  },
  {
    key: 'binh',
    facility: 'TTYT-H1',
    fullName: 'Trần Thị Bình',
    dateOfBirth: '1972-11-02',
    sex: 'female',
    nationalId: '025172004567',
    insuranceNumber: 'GD4250098765432',
  },
  {
    key: 'cuong',
    facility: 'TTYT-H1',
    fullName: 'Lê Văn Cường',
    dateOfBirth: '1965-07-21',
    sex: 'male',
    nationalId: null,
    insuranceNumber: 'HN2250011122233',
  },
  {
    key: 'dung',
    facility: 'TYT-X1',
    fullName: 'Phạm Thị Dung',
    dateOfBirth: '1990-01-30',
    sex: 'female',
    nationalId: '025190007788',
    insuranceNumber: null,
  },
  {
    key: 'duc',
    facility: 'TYT-X1',
    fullName: 'Vũ Minh Đức',
    dateOfBirth: '2015-05-09',
    sex: 'male',
    nationalId: null,
    insuranceNumber: 'TE1250033344455',
  },
  {
    key: 'hanh',
    facility: 'TTYT-H1',
    fullName: 'Đỗ Thị Hạnh',
    dateOfBirth: '1948-09-17',
    sex: 'female',
    nationalId: '025148002211',
    insuranceNumber: 'HT2250055566677',
  },
] as const;

export interface DemoCase {
  patient: (typeof DEMO_PATIENTS)[number]['key'];
  requester: string;
  target: string;
  specialty: string;
  urgency: Urgency;
  summary: string;
  question: string;
  /** The path through the lifecycle, from draft to the final state. */
  path: ConsultationStatus[];
  reason?: string;
  /** Hours from now at which the session (if any) starts; negative is in the past. */
  sessionAtHours?: number;
  /** Length of that session in hours (default 1). */
  sessionHours?: number;
}

const D1 = 'requester@district-1.demo';
const C1 = 'requester@commune-1.demo';

/** One request in every state of the lifecycle. */
export const DEMO_CASES: DemoCase[] = [
  {
    patient: 'an',
    requester: D1,
    target: 'BV-TW-A',
    specialty: 'hô hấp',
    urgency: 'urgent',
    summary:
      'Nam 68 tuổi, ho khạc đờm kéo dài 3 tuần, sốt nhẹ về chiều, sụt 4 kg. X-quang ngực: đám mờ thùy trên phổi phải.',
    question: 'Xin ý kiến chẩn đoán phân biệt lao phổi và u phổi; có cần chuyển tuyến không?',
    path: ['draft', 'submitted'],
  },
  {
    patient: 'binh',
    requester: D1,
    target: 'BV-TW-A',
    specialty: 'tim mạch',
    urgency: 'routine',
    summary: 'Nữ 54 tuổi, tăng huyết áp 10 năm, khó thở khi gắng sức, phù nhẹ hai chi dưới.',
    question: 'Điều chỉnh phác đồ điều trị suy tim tại tuyến huyện như thế nào?',
    path: ['draft'],
  },
  {
    patient: 'cuong',
    requester: D1,
    target: 'BV-TW-A',
    specialty: 'chẩn đoán hình ảnh',
    urgency: 'routine',
    summary: 'Nam 61 tuổi, đau hạ sườn phải, siêu âm phát hiện khối giảm âm gan phải 3 cm.',
    question: 'Đánh giá tính chất khối gan trên phim CT đã chụp.',
    path: ['draft', 'submitted', 'accepted'],
  },
  {
    patient: 'dung',
    requester: C1,
    target: 'BV-TW-A',
    specialty: 'sản khoa',
    urgency: 'routine',
    summary: 'Nữ 36 tuổi, thai 20 tuần, đau đầu, huyết áp 150/95 mmHg.',
    question: 'Theo dõi tiền sản giật tại trạm y tế xã có an toàn không?',
    path: ['draft', 'submitted', 'declined'],
    reason:
      'Chuyên khoa sản không thuộc phạm vi hội chẩn của đơn vị; đề nghị gửi Bệnh viện Phụ sản tỉnh.',
  },
  {
    patient: 'duc',
    requester: C1,
    target: 'BV-TW-A',
    specialty: 'hô hấp',
    urgency: 'emergency',
    summary: 'Trẻ 11 tuổi, khó thở tăng dần, SpO2 91%, ran rít hai phổi, tiền sử hen.',
    question: 'Xử trí cơn hen nặng trong khi chờ chuyển tuyến.',
    path: ['draft', 'submitted', 'accepted', 'scheduled'],
    sessionAtHours: 26,
  },
  {
    patient: 'hanh',
    requester: D1,
    target: 'BV-TW-A',
    specialty: 'hô hấp',
    urgency: 'urgent',
    summary:
      'Nữ 78 tuổi, COPD, đợt cấp lần thứ 3 trong năm, X-quang ngực có hình ảnh giãn phế nang.',
    question: 'Tối ưu điều trị duy trì và chỉ định thở oxy tại nhà.',
    path: ['draft', 'submitted', 'accepted', 'scheduled', 'in_progress'],
    // Started an hour before the seed and booked until the seed's moment, not beyond: the demo
    // people (both specialists, the district site) must be bookable from `npm start` on, or the
    // golden path's "book now and join" meets a 409 from the demo data itself. It is still
    // joinable for 30 min (the join window), and its request stays in_progress for the minutes.
    sessionAtHours: -1,
    sessionHours: 1,
  },
  {
    patient: 'an',
    requester: D1,
    target: 'BV-TW-A',
    specialty: 'chẩn đoán hình ảnh',
    urgency: 'routine',
    summary: 'Nam 68 tuổi, phim X-quang ngực cũ 6 tháng trước để so sánh.',
    question: 'Đọc lại phim X-quang ngực cũ.',
    path: ['draft', 'submitted', 'accepted', 'scheduled', 'in_progress', 'completed'],
    sessionAtHours: -72,
  },
  {
    patient: 'binh',
    requester: D1,
    target: 'BVDK-PT',
    specialty: 'nội tiết',
    urgency: 'routine',
    summary: 'Nữ 54 tuổi, đường huyết lúc đói 9,2 mmol/L.',
    question: 'Khởi trị đái tháo đường típ 2.',
    path: ['draft', 'submitted', 'cancelled'],
    reason: 'Bệnh nhân đã tự đến khám tại bệnh viện tỉnh.',
  },
];
