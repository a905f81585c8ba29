import type { TokenPair, UserSummary } from '@caunoi/shared';

/**
 * Typed fetch wrapper: bearer token on every call, one silent refresh on 401 (shared by every
 * request that failed at the same moment), and errors turned into values the UI can show.
 *
 * The access token lives in this module's memory only; the refresh token is an httpOnly cookie
 * (path /api/auth) the page never sees. A reload signs in again silently through the cookie.
 */

export interface StoredAuth {
  accessToken: string;
  user: UserSummary;
}

/** Earlier versions kept both tokens in localStorage: forget them. */
const LEGACY_STORAGE_KEY = 'caunoi.auth';
/** The API refuses the refresh cookie without it (CSRF defence beside SameSite=Strict). */
export const CSRF_HEADER = { 'x-caunoi-csrf': '1' };

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

type Listener = (auth: StoredAuth | null) => void;
const listeners = new Set<Listener>();
let current: StoredAuth | null = null;
let refreshing: Promise<StoredAuth | null> | null = null;
try {
  globalThis.localStorage?.removeItem(LEGACY_STORAGE_KEY);
} catch {
  /* storage disabled */
}

export function getAuth(): StoredAuth | null {
  return current;
}

export function setAuth(auth: StoredAuth | null): void {
  current = auth;
  for (const l of listeners) l(auth);
}

export function onAuthChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Seconds until the JWT expires (negative when expired), or null if it is not a readable JWT. */
export function secondsUntilExpiry(token: string, now = Date.now()): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof json.exp === 'number' ? json.exp - now / 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Tabs share the one refresh cookie and each use of it rotates it: refreshes are serialised
 * across tabs (Web Locks) so two tabs never present the same cookie (which would end the sign-in).
 */
function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('caunoi-refresh', work) as Promise<T>) : work();
}

/** A new access token through the refresh cookie; null (signed out) when the cookie is refused. */
export async function refreshSession(): Promise<StoredAuth | null> {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const res = await acrossTabs(() =>
        fetch('/api/auth/refresh', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { ...CSRF_HEADER, 'content-type': 'application/json' },
          body: '{}',
        }),
      );
      // No answer from the API (stopped, restarting, database down): not a sign-out.
      if (res.status >= 500) return current;
      if (!res.ok) {
        setAuth(null);
        return null;
      }
      const pair = (await res.json()) as TokenPair;
      const next = { accessToken: pair.accessToken, user: pair.user ?? current?.user };
      setAuth(next as StoredAuth);
      return next as StoredAuth;
    } catch {
      return current; // network trouble is not a sign-out
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function toError(res: Response): Promise<ApiRequestError> {
  let body: unknown = undefined;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const b = body as { message?: unknown; details?: unknown } | undefined;
  const message = Array.isArray(b?.message)
    ? b.message.join('; ')
    : typeof b?.message === 'string'
      ? b.message
      : res.statusText;
  return new ApiRequestError(res.status, message || `HTTP ${res.status}`, b?.details, body);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null | string[]>;
  signal?: AbortSignal;
  /** Return the Response itself (downloads). */
  raw?: boolean;
  /** Do not attach the bearer token (login). */
  anonymous?: boolean;
  /** Use this bearer token (the limited token of an unfinished sign-in) instead of the session's. */
  token?: string;
  /**
   * `Idempotency-Key` of a create (newIdempotencyKey()): the API answers a repeat with the first
   * answer and creates nothing, so the request is retried on a lost connection or a 502–504.
   */
  idempotencyKey?: string;
}

/** A fresh key for one create; getRandomValues works outside secure contexts (plain-HTTP LAN). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Pauses before the retries of a create: a weak line that drops a request often recovers. */
export const CREATE_RETRY_DELAYS_MS = [1000, 3000];

/** A failure after which the same create may be sent again: no answer at all, or a gateway's. */
function worthRetrying(err: unknown): boolean {
  if (err instanceof ApiRequestError) return err.status >= 502 && err.status <= 504;
  return err instanceof TypeError; // fetch's network failure (an abort is a DOMException)
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const url = path.startsWith('/api') ? path : `/api${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) params.set(k, v.join(','));
    } else params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function send(
  path: string,
  opts: RequestOptions,
  token: string | undefined,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...CSRF_HEADER };
  let body: BodyInit | undefined;
  // FormData (uploads) and Blob (a CSV catalogue, typed by the Blob) go as they are.
  if (opts.body instanceof FormData || opts.body instanceof Blob) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (token && !opts.anonymous) headers.authorization = `Bearer ${token}`;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  return fetch(buildUrl(path, opts.query), {
    method: opts.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    signal: opts.signal,
    credentials: 'same-origin',
  });
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  if (!opts.idempotencyKey) return requestOnce<T>(path, opts);
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce<T>(path, opts);
    } catch (err) {
      const wait = CREATE_RETRY_DELAYS_MS[attempt];
      if (wait === undefined || !worthRetrying(err) || opts.signal?.aborted) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

async function requestOnce<T>(path: string, opts: RequestOptions): Promise<T> {
  if (opts.token) {
    const res = await send(path, opts, opts.token);
    if (!res.ok) throw await toError(res);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
  let auth = current;
  // Refresh just before expiry rather than waiting for a 401.
  if (auth && !opts.anonymous) {
    const left = secondsUntilExpiry(auth.accessToken);
    if (left !== null && left < 15) auth = await refreshSession();
  }
  let res = await send(path, opts, auth?.accessToken);
  if (res.status === 401 && !opts.anonymous && auth) {
    const next = await refreshSession();
    if (next) res = await send(path, opts, next.accessToken);
  }
  if (!res.ok) throw await toError(res);
  if (opts.raw) return res as unknown as T;
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Multipart upload with progress (fetch cannot report upload progress). */
export function upload<T>(
  path: string,
  file: File,
  onProgress: (fraction: number) => void,
  field = 'file',
): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = (async () => {
    let auth = current;
    const left = auth ? secondsUntilExpiry(auth.accessToken) : null;
    if (left !== null && left < 60) auth = await refreshSession();
    return new Promise<T>((resolve, reject) => {
      xhr.open('POST', buildUrl(path));
      if (auth) xhr.setRequestHeader('authorization', `Bearer ${auth.accessToken}`);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        let body: unknown;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
        } catch {
          body = undefined;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress(1);
          resolve(body as T);
        } else {
          const b = body as { message?: string; details?: unknown } | undefined;
          reject(new ApiRequestError(xhr.status, b?.message ?? xhr.statusText, b?.details, body));
        }
      };
      xhr.onerror = () => reject(new ApiRequestError(0, 'network'));
      xhr.onabort = () => reject(new ApiRequestError(0, 'aborted'));
      const form = new FormData();
      form.append(field, file, file.name);
      xhr.send(form);
    });
  })();
  return { promise, abort: () => xhr.abort() };
}

/**
 * Fetch a protected file (attachments, PDFs) as a Blob with the bearer token. `onProgress`
 * hears the bytes received so far as they arrive: on a commune's line a scan takes minutes,
 * and a page that only says "loading" looks broken.
 */
export async function fetchBlob(
  path: string,
  onProgress?: (receivedBytes: number) => void,
): Promise<Blob> {
  const res = await request<Response>(path, { raw: true });
  if (!onProgress || !res.body) return res.blob();
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received);
  }
  return new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? '' });
}

/** Save a protected file to disk via a temporary object URL. */
export async function download(path: string, fileName: string): Promise<void> {
  saveBlob(await fetchBlob(path), fileName);
}

/** Save a Blob to disk via a temporary object URL. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
