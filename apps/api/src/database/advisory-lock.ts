import type { DataSource } from 'typeorm';

/**
 * Runs `work` while holding the transaction-scoped advisory lock `key`, or returns null at once
 * when another API instance holds it: a periodic job then runs on one instance at a time.
 */
export function exclusively<T>(
  db: DataSource,
  key: number,
  work: () => Promise<T>,
): Promise<T | null> {
  return db.transaction(async (m) => {
    const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [key]);
    return locked ? work() : null;
  });
}
