import { z } from 'zod';
import { findInvalidText, isStorableText, text } from './text';

describe('storable text', () => {
  it.each([
    ['plain Vietnamese', 'Nguyễn Thị Thử Nghiệm', true],
    ['an emoji (a valid surrogate pair)', 'ho 😷 kéo dài', true],
    ['tab and newline', 'a\tb\nc', true],
    ['a NUL character', 'a\u0000b', false],
    ['a lone high surrogate', 'a\uD800', false],
    ['a lone low surrogate', '\uDC00a', false],
    ['reversed pair', '\uDE00\uD83D', false],
  ])('%s → %s', (_what, s, ok) => {
    expect(isStorableText(s)).toBe(ok);
    expect(z.object({ summary: text().trim().min(1) }).safeParse({ summary: s }).success).toBe(ok);
  });

  it('a schema names the field', () => {
    const r = z.object({ fullName: text().min(2) }).safeParse({ fullName: 'ab\u0000' });
    expect(r.error?.issues[0]).toMatchObject({ path: ['fullName'] });
  });

  it('finds the first bad string or key anywhere in a payload', () => {
    expect(findInvalidText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toBe('a.1.c');
    expect(findInvalidText({ ['k\u0000']: 1 })).toBe('k?');
    expect(findInvalidText('\uD800')).toBe('(root)');
    expect(findInvalidText({ a: 1, b: ['ok', null, true] })).toBeNull();
  });
});
