import { looksLikeAnotherPatient } from './patientMatch';

describe('PACS patient vs the request patient', () => {
  it('accepts the same person written the PACS way (no accents, ^ separators, initials)', () => {
    expect(looksLikeAnotherPatient('LE^VAN^C', 'Lê Văn Chụp')).toBe(false);
    expect(looksLikeAnotherPatient('DANG THI HOA', 'Đặng Thị Hoa')).toBe(false);
  });

  it('flags a name with no word in common', () => {
    expect(looksLikeAnotherPatient('PHAM^THI^D', 'Lê Văn Chụp')).toBe(true);
  });

  it('says nothing when a name is missing', () => {
    expect(looksLikeAnotherPatient(null, 'Lê Văn Chụp')).toBe(false);
    expect(looksLikeAnotherPatient('PHAM^THI^D', null)).toBe(false);
  });
});
