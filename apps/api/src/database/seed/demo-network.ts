import type { FacilityLevel, Role, SupportKind } from '@caunoi/shared';

/** The demo network (README "Demo accounts"): codes are stable so other seed steps can refer to them. */
export const DEMO_FACILITIES: Array<{
  code: string;
  name: string;
  province: string;
  level: FacilityLevel;
}> = [
  { code: 'BV-TW-A', name: 'Bệnh viện Trung ương A', province: 'Hà Nội', level: 'central' },
  {
    code: 'BV-TW-B',
    name: 'Bệnh viện Trung ương B',
    province: 'Thành phố Hồ Chí Minh',
    level: 'central',
  },
  {
    code: 'BVDK-PT',
    name: 'Bệnh viện Đa khoa tỉnh Phú Thọ',
    province: 'Phú Thọ',
    level: 'provincial',
  },
  {
    code: 'BVDK-TB',
    name: 'Bệnh viện Đa khoa tỉnh Thái Bình',
    province: 'Thái Bình',
    level: 'provincial',
  },
  {
    code: 'BVDK-DT',
    name: 'Bệnh viện Đa khoa tỉnh Đồng Tháp',
    province: 'Đồng Tháp',
    level: 'provincial',
  },
  { code: 'TTYT-H1', name: 'Trung tâm Y tế huyện 1', province: 'Phú Thọ', level: 'district' },
  {
    code: 'TTYT-TS',
    name: 'Trung tâm Y tế huyện Thanh Sơn',
    province: 'Phú Thọ',
    level: 'district',
  },
  {
    code: 'TTYT-VT',
    name: 'Trung tâm Y tế huyện Vũ Thư',
    province: 'Thái Bình',
    level: 'district',
  },
  {
    code: 'TTYT-CL',
    name: 'Trung tâm Y tế huyện Cao Lãnh',
    province: 'Đồng Tháp',
    level: 'district',
  },
  { code: 'TYT-X1', name: 'Trạm Y tế xã 1', province: 'Phú Thọ', level: 'commune' },
  { code: 'TYT-TP', name: 'Trạm Y tế xã Tân Phú', province: 'Phú Thọ', level: 'commune' },
  { code: 'TYT-SA', name: 'Trạm Y tế xã Song An', province: 'Thái Bình', level: 'commune' },
  { code: 'TYT-MH', name: 'Trạm Y tế xã Mỹ Hội', province: 'Đồng Tháp', level: 'commune' },
];

/** supporter → supported. Central B has no link to district 1 (the access-matrix tests rely on it). */
export const DEMO_SUPPORT_LINKS: Array<[string, string, SupportKind]> = [
  ['BV-TW-A', 'BVDK-PT', 'satellite'],
  ['BV-TW-A', 'BVDK-TB', 'mentoring'],
  ['BV-TW-A', 'TTYT-H1', 'mentoring'],
  ['BV-TW-A', 'TYT-X1', 'mentoring'],
  ['BV-TW-B', 'BVDK-DT', 'satellite'],
  ['BV-TW-B', 'TTYT-CL', 'mentoring'],
  ['BVDK-PT', 'TTYT-H1', 'mentoring'],
  ['BVDK-PT', 'TTYT-TS', 'mentoring'],
  ['BVDK-TB', 'TTYT-VT', 'mentoring'],
  ['BVDK-DT', 'TTYT-CL', 'mentoring'],
  ['TTYT-H1', 'TYT-X1', 'mentoring'],
  ['TTYT-H1', 'TYT-TP', 'mentoring'],
  ['TTYT-VT', 'TYT-SA', 'mentoring'],
  ['TTYT-CL', 'TYT-MH', 'mentoring'],
];

export interface DemoUser {
  email: string;
  fullName: string;
  roles: Role[];
  facility: string | null;
  specialty?: string;
  licenseNumber?: string;
}

/** Exactly the demo accounts listed in the README. */
export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@caunoi.demo', fullName: 'Quản trị hệ thống', roles: ['admin'], facility: null },
  {
    email: 'coordinator@central-a.demo',
    fullName: 'Nguyễn Thị Hồng Nhung',
    roles: ['coordinator'],
    facility: 'BV-TW-A',
  },
  {
    email: 'specialist1@central-a.demo',
    fullName: 'PGS.TS. Trần Văn Minh',
    roles: ['specialist'],
    facility: 'BV-TW-A',
    specialty: 'hô hấp',
    licenseNumber: '001245/BYT-CCHN',
  },
  {
    email: 'specialist2@central-a.demo',
    fullName: 'TS.BS. Lê Thị Thu Hà',
    roles: ['specialist'],
    facility: 'BV-TW-A',
    specialty: 'chẩn đoán hình ảnh',
    licenseNumber: '002387/BYT-CCHN',
  },
  {
    email: 'requester@district-1.demo',
    fullName: 'BS. Phạm Quốc Tuấn',
    roles: ['requester'],
    facility: 'TTYT-H1',
    specialty: 'nội tổng quát',
    licenseNumber: '004512/PT-CCHN',
  },
  {
    email: 'requester@commune-1.demo',
    fullName: 'Y sĩ Hoàng Thị Mai',
    roles: ['requester'],
    facility: 'TYT-X1',
    licenseNumber: '007731/PT-CCHN',
  },
  {
    email: 'coordinator@central-b.demo',
    fullName: 'Đặng Văn Hải',
    roles: ['coordinator'],
    facility: 'BV-TW-B',
  },
];

/** For the availability seed step: every demo specialist publishes Mon–Sat 07:00–17:00 Vietnam time. */
export const DEMO_SPECIALIST_EMAILS = DEMO_USERS.filter((u) => u.roles.includes('specialist')).map(
  (u) => u.email,
);
