import type { AuditEventInput } from './audit.repository';
import { isDatabaseUnavailable } from '../common/database-errors';

interface Waiting {
  row: AuditEventInput;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface AuditBatcherOptions {
  /** One INSERT of many rows: the rows of concurrent requests share a single commit. */
  write: (rows: AuditEventInput[]) => Promise<void>;
  /** A batch is written as soon as it holds this many rows… */
  maxRows?: number;
  /** …or this long after its first row arrived (milliseconds). */
  maxWaitMs?: number;
}

/**
 * Group commit for the audit trail. Each read of patient data must be audited durably before its
 * answer leaves, but one INSERT + commit per read made the commit (WAL flush) the bottleneck of
 * every read. Rows arriving within a millisecond or two are written by one INSERT in one
 * transaction; every caller awaits the flush that holds its row, so nothing is answered before
 * its row is committed, and a failed flush fails every request in it (an outage → 503), never
 * drops a row silently.
 *
 * One bad row (a data error in one request's details) must not fail the other requests of its
 * batch: on a failure that is not an outage the rows are written again one by one, so only the
 * request whose own row is refused sees the error.
 */
export class AuditBatcher {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxRows: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: AuditBatcherOptions) {
    this.maxRows = options.maxRows ?? 200;
    this.maxWaitMs = options.maxWaitMs ?? 1;
  }

  /** Resolves once `rows` are committed; rejects with the database's error otherwise. */
  add(rows: AuditEventInput[]): Promise<void> {
    const waits = rows.map(
      (row) => new Promise<void>((resolve, reject) => this.queue.push({ row, resolve, reject })),
    );
    if (this.queue.length >= this.maxRows) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
    return waits.length === 1 ? waits[0] : Promise.all(waits).then(() => undefined);
  }

  /** Writes what is queued now and waits for every write still running (shutdown, tests). */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxRows);
      const done = this.write(batch).finally(() => this.inFlight.delete(done));
      this.inFlight.add(done);
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await this.options.write(batch.map((w) => w.row));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      await Promise.all(batch.map((w) => this.options.write([w.row]).then(w.resolve, w.reject)));
    }
  }
}
