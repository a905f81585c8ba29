/** One JSON call to the stack's API; anything but 2xx fails the test with the answer's text. */
export async function apiCall<T>(
  apiUrl: string,
  token: string | null,
  method: string,
  p: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${apiUrl}/api${p}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** One call whose answer the test judges itself: the status and the JSON body (null if none). */
export async function restCall(
  apiUrl: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own shape
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${apiUrl}/api${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json') && text;
  return { status: res.status, body: json ? JSON.parse(text) : null };
}
