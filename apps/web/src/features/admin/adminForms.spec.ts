import { facilityPatch, fold, matchPeople, userForm, userPatch } from './adminForms';
import type { Facility, UserAccount } from '@caunoi/shared';

const people = [
  { id: '1', fullName: 'Nguyễn Thị Hồng Nhung', email: 'coordinator@central-a.demo' },
  { id: '2', fullName: 'Trần Văn Minh', email: 'specialist1@central-a.demo' },
  { id: '3', fullName: 'Đỗ Đức Anh', email: 'requester@district-1.demo' },
];

describe('admin: people search', () => {
  it('ignores Vietnamese diacritics and case, matches name or e-mail, every word', () => {
    expect(fold('Đỗ Đức Anh')).toBe('do duc anh');
    expect(matchPeople(people, 'nhung').map((p) => p.id)).toEqual(['1']);
    expect(matchPeople(people, 'do duc').map((p) => p.id)).toEqual(['3']);
    expect(matchPeople(people, 'central-a').map((p) => p.id)).toEqual(['1', '2']);
    expect(matchPeople(people, 'minh central').map((p) => p.id)).toEqual(['2']);
    expect(matchPeople(people, '   ')).toEqual([]);
    expect(matchPeople(people, 'a', 1)).toHaveLength(1);
  });
});

describe('admin: edit forms send only what changed', () => {
  const facility: Facility = {
    id: 'f',
    code: 'BV-X',
    name: 'Bệnh viện X',
    province: 'Hà Nội',
    level: 'provincial',
    region: null,
  };

  it('facility: name, province, level, region', () => {
    expect(
      facilityPatch(facility, {
        name: 'Bệnh viện X',
        province: 'Hà Nội',
        level: 'provincial',
        region: '',
      }),
    ).toBeNull();
    expect(
      facilityPatch(facility, {
        name: ' Bệnh viện Đa khoa X ',
        province: 'Hà Nội',
        level: 'central',
        region: '',
      }),
    ).toEqual({ name: 'Bệnh viện Đa khoa X', level: 'central' });
    expect(
      facilityPatch(
        { ...facility, province: undefined },
        { name: 'Bệnh viện X', province: 'Huế', level: 'provincial', region: '' },
      ),
    ).toEqual({ province: 'Huế' });
    const base = { name: 'Bệnh viện X', province: 'Hà Nội', level: 'provincial' as const };
    expect(facilityPatch(facility, { ...base, region: 'central' })).toEqual({ region: 'central' });
    // Choosing "none" again sends an explicit null, which clears the stored region.
    expect(facilityPatch({ ...facility, region: 'south' }, { ...base, region: '' })).toEqual({
      region: null,
    });
  });

  it('user: roles, facility, specialty, licence, active; empty text clears', () => {
    const user: UserAccount = {
      id: 'u',
      email: 'a@b.vn',
      fullName: 'Lê Văn A',
      roles: ['requester'],
      facilityId: 'f1',
      specialty: null,
      licenseNumber: '001/BYT-CCHN',
      active: true,
    };
    const form = userForm(user);
    expect(form).toEqual({
      fullName: 'Lê Văn A',
      roles: ['requester'],
      facilityId: 'f1',
      specialty: '',
      licenseNumber: '001/BYT-CCHN',
      active: true,
    });
    expect(userPatch(user, form)).toBeNull();
    // The same roles in another order are no change.
    expect(
      userPatch(
        { ...user, roles: ['requester', 'specialist'] },
        { ...form, roles: ['specialist', 'requester'] },
      ),
    ).toBeNull();
    expect(
      userPatch(user, {
        ...form,
        roles: ['requester', 'specialist'],
        specialty: 'hô hấp',
        facilityId: 'f2',
        licenseNumber: '',
        active: false,
      }),
    ).toEqual({
      roles: ['requester', 'specialist'],
      specialty: 'hô hấp',
      facilityId: 'f2',
      licenseNumber: null,
      active: false,
    });
    expect(userPatch(user, { ...form, facilityId: '' })).toEqual({ facilityId: null });
  });
});
