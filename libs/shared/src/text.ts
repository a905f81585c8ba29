import { z } from 'zod';

/**
 * Text a person or a program may send us, and PostgreSQL can store: no NUL character (text and
 * jsonb refuse it) and no lone UTF-16 surrogate (it would be stored silently as U+FFFD).
 */
const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const INVALID_TEXT_MESSAGE = 'must not contain NUL characters or invalid Unicode';

export function isStorableText(s: string): boolean {
  return !s.includes(NUL) && !LONE_SURROGATE.test(s);
}

/** The string schema of every request field: `text().trim().min(2).max(200)`. */
export const text = () =>
  z.string().refine(isStorableText, { message: INVALID_TEXT_MESSAGE, abort: true });

/**
 * The path (`summary`, `intervals.0.note`) of the first string or object key in `value` that is
 * not storable text, or null. The API runs it on every body, query, parameter and socket payload
 * before any schema, so a field without a schema is covered too.
 */
export function findInvalidText(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path.join('.') || '(root)';
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  for (const [key, v] of entries) {
    if (!isStorableText(key))
      return [...path, key.replaceAll(NUL, '?').replace(/[\uD800-\uDFFF]/g, '?')].join('.');
    const found = findInvalidText(v, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
