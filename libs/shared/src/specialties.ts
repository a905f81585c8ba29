/**
 * Specialties as requests and accounts store them (Vietnamese names), each with the code of its
 * translated label in the web client. The API accepts any specialty text; clients offer these.
 */
export const SPECIALTY_CODES: Readonly<Record<string, string>> = {
  'hô hấp': 'respiratory',
  'chẩn đoán hình ảnh': 'radiology',
  'tim mạch': 'cardiology',
  'thần kinh': 'neurology',
  'ung bướu': 'oncology',
  'nhi khoa': 'pediatrics',
  'sản khoa': 'obstetrics',
  'ngoại khoa': 'surgery',
  'nội tổng quát': 'internal_medicine',
  'nội tiết': 'endocrinology',
  'truyền nhiễm': 'infectious_disease',
};

export const SPECIALTIES: readonly string[] = Object.keys(SPECIALTY_CODES);
