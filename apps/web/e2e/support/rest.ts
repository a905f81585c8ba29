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
