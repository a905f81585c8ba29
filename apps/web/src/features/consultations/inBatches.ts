export const UPLOADS_AT_ONCE = 4;

/** Runs `job` over `items` with at most `limit` running at once; resolves when all settled. */
export async function inBatches<T>(
  items: T[],
  limit: number,
  job: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await job(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
