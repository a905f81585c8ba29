import { ACK_ERROR_CODES } from '@caunoi/shared';
import { ApiRequestError } from '../api/client';

/**
 * Turns an API failure (`{statusCode, error, message, details?}`) into i18n keys: a message for
 * the status (or a known situation), and one message per offending field. The server's own
 * (English) text is kept only for the "details" disclosure that support staff may open.
 */

/** Fields with their own message under `errors.field.<name>` (vi and en). */
export const KNOWN_FIELDS = [
  'fullName',
  'dateOfBirth',
  'sex',
  'nationalId',
  'insuranceNumber',
  'email',
  'password',
  'roles',
  'facilityId',
  'specialty',
  'licenseNumber',
  'code',
  'name',
  'province',
  'level',
  'supporterId',
  'supportedId',
  'kind',
  'patientId',
  'targetFacilityId',
  'urgency',
  'summary',
  'question',
  'reason',
  'chairId',
  'secretaryId',
  'opinions',
  'conclusion',
  'recommendations',
  'startsAt',
  'endsAt',
  'participantIds',
  'facilityIds',
  'userIds',
  'consultationIds',
  'durationMinutes',
  'file',
  'baseUrl',
  'username',
  'token',
  'studyUid',
  'seriesUids',
  'dateTo',
  'modality',
  'patientName',
  'aeTitle',
  'callingAeTitles',
] as const;
export type KnownField = (typeof KNOWN_FIELDS)[number];

const KNOWN_STATUSES = [0, 400, 401, 403, 404, 409, 413, 415, 429, 500, 502, 503, 504];

/** API `code`s with their own message under `errors.code.<code>` (what to do differs). */
export const KNOWN_CODES = [
  'pacs_not_configured',
  'pacs_unreachable',
  'pacs_timeout',
  'pacs_auth_failed',
  'pacs_bad_answer',
  'storage_key_missing',
] as const;

export interface FieldProblem {
  /** The top-level field name (`roles.0` → `roles`). */
  field: string;
  /** i18n key of the localized message. */
  key: string;
  /** What the server said about it (support details only). */
  serverMessage?: string;
}

export interface ErrorDescription {
  status: number;
  /** i18n key of the main message. */
  key: string;
  params?: Record<string, string | number>;
  fields: FieldProblem[];
  /** The server's text, for the collapsible details; absent for network failures. */
  serverText?: string;
}

function fieldKey(field: string): string {
  return (KNOWN_FIELDS as readonly string[]).includes(field)
    ? `errors.field.${field}`
    : 'errors.field.other';
}

function topField(path: unknown): string | null {
  if (typeof path === 'string') return path.split(/[.[]/)[0] || null;
  if (Array.isArray(path) && path.length) return String(path[0]);
  return null;
}

/** Field problems from `details: [{path, message}]`, else from a message that starts with a known field name. */
export function fieldProblems(details: unknown, message: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  const add = (field: string, serverMessage?: string) => {
    if (seen.has(field)) return;
    seen.add(field);
    out.push({ field, key: fieldKey(field), serverMessage });
  };
  if (Array.isArray(details)) {
    for (const d of details) {
      const item = d as { path?: unknown; message?: unknown } | null;
      const field = topField(item?.path);
      if (field && field !== '(root)')
        add(field, typeof item?.message === 'string' ? item.message : undefined);
    }
  }
  if (out.length === 0 && message) {
    // The API's own checks name the field first: "licenseNumber is required…", "supportedId: a commune…".
    const head = /^\s*([a-zA-Z]+)(?:,\s*([a-zA-Z]+))?(?=[:\s])/.exec(message);
    for (const name of [head?.[1], head?.[2]]) {
      if (name && (KNOWN_FIELDS as readonly string[]).includes(name)) add(name, message);
    }
  }
  return out;
}

function situation(
  status: number,
  message: string,
  details: unknown,
): { key: string; params?: Record<string, string | number> } | null {
  const d = details as Record<string, unknown> | null | undefined;
  if (status === 409 && d && typeof d === 'object' && !Array.isArray(d) && 'allowed' in d)
    return { key: 'errors.known.illegalTransition' };
  if (
    status === 409 &&
    Array.isArray(d) &&
    d.some((x) => x && typeof x === 'object' && 'sessionId' in (x as object))
  )
    return { key: 'errors.known.doubleBooking' };
  if (status === 409 && d && typeof d === 'object' && 'claimedBy' in d) {
    const by = (d.claimedBy as { fullName?: string } | null)?.fullName;
    return { key: 'errors.known.alreadyClaimed', params: { name: by ?? '—' } };
  }
  if (status === 409 && d && typeof d === 'object' && 'opensAt' in d)
    return { key: 'errors.known.roomNotOpen' };
  if (status === 409 && d && typeof d === 'object' && 'closedAt' in d)
    return { key: 'errors.known.roomClosed' };
  if (status === 409 && /already supports/i.test(message))
    return { key: 'errors.known.linkExists' };
  if (
    status === 409 &&
    /unique value|already exists|already in use|already registered/i.test(message)
  )
    return { key: 'errors.known.duplicate' };
  if (status === 400 && /consent/i.test(message)) return { key: 'errors.known.noConsent' };
  if (status === 400 && /does not support your facility/i.test(message))
    return { key: 'errors.known.notSupported' };
  if (status === 429) {
    const s = Number((d as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds);
    if (Number.isFinite(s) && s > 0)
      return { key: 'errors.known.retryAfter', params: { seconds: Math.ceil(s) } };
  }
  return null;
}

/** Error codes of socket.io acknowledgements (SFU signalling, collaboration gateway). */
const ACK_CODES: readonly string[] = ACK_ERROR_CODES;

export function describeError(err: unknown): ErrorDescription {
  if (!(err instanceof ApiRequestError)) {
    const e = err as { code?: unknown; message?: unknown } | null;
    const message = typeof e?.message === 'string' ? e.message : '';
    if (typeof e?.code === 'string' && ACK_CODES.includes(e.code)) {
      return {
        status: -1,
        key: `errors.socket.${e.code}`,
        fields: [],
        serverText: message ? `${e.code} · ${message}` : e.code,
      };
    }
    if (/timeout|timed out|xhr poll|websocket/i.test(message))
      return { status: -1, key: 'errors.http.0', fields: [], serverText: message };
    return {
      status: -1,
      key: 'errors.unexpected',
      fields: [],
      ...(message ? { serverText: message } : {}),
    };
  }
  const status = err.status;
  if (status === 0) return { status, key: 'errors.http.0', fields: [] };
  const body = err.body as { message?: unknown } | undefined;
  const message =
    typeof body?.message === 'string'
      ? body.message
      : Array.isArray(body?.message)
        ? body.message.join('; ')
        : err.message;
  const fields = status === 400 ? fieldProblems(err.details, message) : [];
  const code = (body as { code?: unknown } | undefined)?.code;
  const known =
    typeof code === 'string' && (KNOWN_CODES as readonly string[]).includes(code)
      ? { key: `errors.code.${code}`, params: undefined }
      : situation(status, message, err.details);
  const key =
    known?.key ??
    (fields.length
      ? 'errors.http.400fields'
      : `errors.http.${KNOWN_STATUSES.includes(status) ? status : 'other'}`);
  return {
    status,
    key,
    params: known?.params,
    fields,
    serverText: message ? `${status} · ${message}` : `${status}`,
  };
}

/** The localized message for one field, if the error names it. */
export function fieldErrorKey(err: unknown, field: string): string | null {
  return describeError(err).fields.find((f) => f.field === field)?.key ?? null;
}
