/**
 * Items sent optimistically carry a clientId (their idempotency key); the server's copy, the
 * live broadcast and the optimistic one are the same item. Later copies complete earlier ones.
 */
export function mergeByClientId<T extends { clientId?: string | null; id?: string }>(
  prev: T[],
  more: T[],
): T[] {
  const out = [...prev];
  for (const a of more) {
    const i = out.findIndex(
      (x) => (a.clientId && x.clientId === a.clientId) || (a.id && x.id === a.id),
    );
    if (i >= 0) out[i] = { ...out[i], ...a };
    else out.push(a);
  }
  return out;
}
