import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

interface Ambient {
  manager: EntityManager;
  open: boolean;
  savepoints: number;
}

const ambient = new AsyncLocalStorage<Ambient>();

/**
 * Makes one request's writes a single transaction without threading a manager through every
 * repository: inside `inAmbientTransaction()`, the DataSource's `query()` runs on that
 * transaction and its `transaction()` becomes a savepoint of it (so a repository that catches a
 * failed inner transaction — a double booking — can still go on). Outside it nothing changes.
 * Used for creates with an `Idempotency-Key`: the created rows and the key commit together.
 */
export function joinAmbientTransactions(ds: DataSource): DataSource {
  const query = ds.query.bind(ds);
  const transaction = ds.transaction.bind(ds) as (...args: unknown[]) => Promise<unknown>;
  ds.query = ((sql: string, parameters?: unknown[], runner?: unknown) => {
    const a = ambient.getStore();
    if (a?.open && !runner) return a.manager.query(sql, parameters);
    return query(sql, parameters, runner as never);
  }) as DataSource['query'];
  ds.transaction = (async (...args: unknown[]) => {
    const a = ambient.getStore();
    if (!a?.open) return transaction(...args);
    const work = args[args.length - 1] as (m: EntityManager) => Promise<unknown>;
    const savepoint = `ambient_${++a.savepoints}`;
    await a.manager.query(`SAVEPOINT ${savepoint}`);
    try {
      const result = await work(a.manager);
      await a.manager.query(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (err) {
      await a.manager.query(`ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => {});
      throw err;
    }
  }) as DataSource['transaction'];
  return ds;
}

/**
 * True inside an open ambient transaction: writes that must commit with the request's own rows
 * (an audit row of an idempotent create) go through it rather than anywhere else.
 */
export function insideAmbientTransaction(): boolean {
  return ambient.getStore()?.open === true;
}

/** Runs `work` in one transaction that every query of the DataSource inside it joins. */
export async function inAmbientTransaction<T>(
  ds: DataSource,
  work: (m: EntityManager) => Promise<T>,
): Promise<T> {
  return ds.transaction(async (manager) => {
    const a: Ambient = { manager, open: true, savepoints: 0 };
    try {
      return await ambient.run(a, () => work(manager));
    } finally {
      // Anything the request left running must not use a connection that goes back to the pool.
      a.open = false;
    }
  });
}
