import { ACK_ERROR_CODES } from '@caunoi/shared';
import { ApiRequestError } from '../api/client';
import { describeError, fieldErrorKey, KNOWN_CODES, KNOWN_FIELDS } from './errors';
import vi from '../i18n/vi.json';
import en from '../i18n/en.json';

function apiError(statusCode: number, message: string, details?: unknown) {
  const body = { statusCode, error: 'x', message, ...(details !== undefined ? { details } : {}) };
  return new ApiRequestError(statusCode, message, details, body);
}

function has(tree: unknown, key: string): boolean {
  let node = tree as Record<string, unknown> | string | undefined;
  for (const part of key.split('.'))
    node = typeof node === 'object' && node ? (node[part] as typeof node) : undefined;
  return typeof node === 'string' && node.length > 0;
}

describe('describeError (localized API errors)', () => {
  it('maps zod validation details to one message per known field and keeps the server text for support', () => {
    const err = apiError(400, 'Invalid request: fullName: Too small; roles.0: Invalid option', [
      { path: 'fullName', message: 'Too small: expected string to have >=2 characters' },
      { path: 'roles.0', message: 'Invalid option' },
      { path: 'mystery', message: 'nope' },
    ]);
    const d = describeError(err);
    expect(d.key).toBe('errors.http.400fields');
    expect(d.fields.map((f) => [f.field, f.key])).toEqual([
      ['fullName', 'errors.field.fullName'],
      ['roles', 'errors.field.roles'],
      ['mystery', 'errors.field.other'],
    ]);
    expect(d.serverText).toContain('Invalid request: fullName');
    expect(fieldErrorKey(err, 'roles')).toBe('errors.field.roles');
    expect(fieldErrorKey(err, 'email')).toBeNull();
  });

  it("names the field from the API's own checks when there are no details", () => {
    expect(
      describeError(apiError(400, 'licenseNumber is required for specialists')).fields.map(
        (f) => f.field,
      ),
    ).toEqual(['licenseNumber']);
    expect(
      describeError(
        apiError(400, 'supportedId: a commune facility cannot support a central facility'),
      ).fields[0].key,
    ).toBe('errors.field.supportedId');
    expect(
      describeError(
        apiError(400, 'userIds, facilityIds: some users or sites do not exist'),
      ).fields.map((f) => f.field),
    ).toEqual(['userIds', 'facilityIds']);
    // A sentence that does not start with a field names none.
    const consent = describeError(
      apiError(
        400,
        'The patient has no recorded consent to teleconsultation; record it before submitting',
      ),
    );
    expect(consent.fields).toEqual([]);
    expect(consent.key).toBe('errors.known.noConsent');
  });

  it('recognises known situations from status and details', () => {
    expect(
      describeError(
        apiError(409, 'Cannot move from accepted to submitted', {
          from: 'accepted',
          to: 'submitted',
          allowed: ['scheduled'],
        }),
      ).key,
    ).toBe('errors.known.illegalTransition');
    expect(
      describeError(
        apiError(409, 'Booking conflict', [
          { sessionId: 's', userId: 'u', facilityId: null, startsAt: 'a', endsAt: 'b' },
        ]),
      ).key,
    ).toBe('errors.known.doubleBooking');
    expect(
      describeError(apiError(409, 'Not open yet', { opensAt: '2026-01-01T00:00:00Z' })).key,
    ).toBe('errors.known.roomNotOpen');
    expect(describeError(apiError(409, 'A already supports B')).key).toBe(
      'errors.known.linkExists',
    );
    expect(
      describeError(apiError(409, 'A record with the same unique value already exists')).key,
    ).toBe('errors.known.duplicate');
    expect(describeError(apiError(429, 'Too many', { retryAfterSeconds: 41.2 }))).toMatchObject({
      key: 'errors.known.retryAfter',
      params: { seconds: 42 },
    });
    const notSupported = describeError(
      apiError(
        400,
        'targetFacilityId: BV X does not support your facility; send the request to one that does (BV A)',
      ),
    );
    expect(notSupported.key).toBe('errors.known.notSupported');
    expect(notSupported.fields.map((f) => f.field)).toEqual(['targetFacilityId']);
  });

  it('falls back to the status, never to the server text', () => {
    expect(
      describeError(apiError(403, 'Only coordinators of the target facility may accept')),
    ).toMatchObject({ key: 'errors.http.403', fields: [] });
    expect(describeError(apiError(418, "I'm a teapot")).key).toBe('errors.http.other');
    expect(describeError(new ApiRequestError(0, 'network'))).toEqual({
      status: 0,
      key: 'errors.http.0',
      fields: [],
    });
    expect(describeError(new Error('boom')).key).toBe('errors.unexpected');
    expect(describeError(null).key).toBe('errors.unexpected');
    // Field problems are only read from 400s.
    expect(describeError(apiError(409, 'reason is required')).fields).toEqual([]);
  });

  it('socket acknowledgement errors (SFU, collaboration) by code, their text kept for support', () => {
    const ack = Object.assign(new Error('view:update needs the presenter seat'), {
      code: 'forbidden',
    });
    expect(describeError(ack)).toEqual({
      status: -1,
      key: 'errors.socket.forbidden',
      fields: [],
      serverText: 'forbidden · view:update needs the presenter seat',
    });
    expect(describeError(Object.assign(new Error('x'), { code: 'weird' })).key).toBe(
      'errors.unexpected',
    );
    expect(describeError(new Error('operation has timed out')).key).toBe('errors.http.0');
    expect(describeError(new Error('boom')).serverText).toBe('boom');
  });

  it('a PACS fault reads as what to do about it, whatever its status', () => {
    const body = {
      statusCode: 424,
      error: 'Bad Gateway',
      message: 'refused',
      code: 'pacs_auth_failed',
    };
    const err = new ApiRequestError(424, 'refused', undefined, body);
    expect(describeError(err)).toMatchObject({ key: 'errors.code.pacs_auth_failed', fields: [] });
    const timeout = new ApiRequestError(424, 'late', undefined, { ...body, code: 'pacs_timeout' });
    expect(describeError(timeout).key).toBe('errors.code.pacs_timeout');
    expect(describeError(apiError(502, 'proxy down')).key).toBe('errors.http.502');
  });

  it('every key it can produce exists in both languages', () => {
    const keys = [
      ...KNOWN_FIELDS.map((f) => `errors.field.${f}`),
      'errors.field.other',
      'errors.details',
      'errors.http.400fields',
      ...[
        '0',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        '415',
        '429',
        '500',
        '502',
        '503',
        '504',
        'other',
      ].map((s) => `errors.http.${s}`),
      ...KNOWN_CODES.map((c) => `errors.code.${c}`),
      ...ACK_ERROR_CODES.map((c) => `errors.socket.${c}`),
      ...[
        'illegalTransition',
        'doubleBooking',
        'alreadyClaimed',
        'roomNotOpen',
        'roomClosed',
        'linkExists',
        'duplicate',
        'noConsent',
        'notSupported',
        'retryAfter',
      ].map((k) => `errors.known.${k}`),
    ];
    expect(keys.filter((k) => !has(vi, k) || !has(en, k))).toEqual([]);
  });
});
