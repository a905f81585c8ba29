import {
  ACTION_TARGET_STATUS,
  ATTACHMENT_ACCEPT,
  ATTACHMENT_DISPLAY_KINDS,
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_FORMATS,
  ATTACHMENT_MEDIA_TYPES,
  CONSULTATION_ACTIONS,
  CONSULTATION_STATUSES,
  displayKindOf,
  FINAL_CONSULTATION_STATUSES,
  MINUTES_WRITABLE_STATUSES,
  SPECIALTIES,
  SPECIALTY_CODES,
} from './index';
import { ConsultationDetailSchema, listOf, PatientSchema } from './rest';

describe('vocabularies', () => {
  it('final states are the ones nothing leaves: completed, declined, cancelled', () => {
    expect([...FINAL_CONSULTATION_STATUSES].sort()).toEqual(['cancelled', 'completed', 'declined']);
  });
  it('every action leads to a known state; minutes are writable only in known, non-final-but-completed states', () => {
    for (const a of CONSULTATION_ACTIONS)
      expect(CONSULTATION_STATUSES).toContain(ACTION_TARGET_STATUS[a]);
    for (const s of MINUTES_WRITABLE_STATUSES) expect(CONSULTATION_STATUSES).toContain(s);
  });
  it('every attachment format has a media type, extensions and a display kind', () => {
    const extensions = ATTACHMENT_FORMATS.flatMap((f) => ATTACHMENT_EXTENSIONS[f]);
    expect(new Set(extensions).size).toBe(extensions.length);
    for (const f of ATTACHMENT_FORMATS) {
      expect(ATTACHMENT_MEDIA_TYPES[f]).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
      expect(ATTACHMENT_DISPLAY_KINDS).toContain(displayKindOf(f));
    }
    expect(new Set(Object.values(ATTACHMENT_MEDIA_TYPES)).size).toBe(ATTACHMENT_FORMATS.length);
    // The file picker offers exactly what the API accepts.
    expect(ATTACHMENT_ACCEPT.split(',').sort()).toEqual(
      [...extensions.map((e) => `.${e}`), ...Object.values(ATTACHMENT_MEDIA_TYPES)].sort(),
    );
  });
  it('specialty codes are unique', () => {
    expect(new Set(Object.values(SPECIALTY_CODES)).size).toBe(SPECIALTIES.length);
  });
});

describe('response contracts', () => {
  it('a list is {items, total?}; items are checked', () => {
    const list = listOf(PatientSchema);
    expect(list.safeParse({ items: [] }).success).toBe(true);
    expect(list.safeParse([]).success).toBe(false);
    expect(list.safeParse({ items: [{ id: 'x' }] }).success).toBe(false);
  });
  it('a consultation detail names only known actions', () => {
    const r = ConsultationDetailSchema.shape.allowedActions.safeParse(['approve']);
    expect(r.success).toBe(false);
  });
});
