// Acknowledged writes through the public REST API while something is being killed: a requester
// registers patients, each with a unique national ID. A write counts as acknowledged only when
// the API answered 201 with the new id; afterwards every acknowledged one must exist exactly once.
// Writes that failed (connection refused, 5xx/503 during an outage) are never retried here: they
// may or may not have happened, and must still never appear twice.

const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'CauNoi#2026';

export async function login(api: string, email: string): Promise<string> {
  const res = await fetch(`${api}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (!body.accessToken) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

export interface WriteOutcome {
  nationalId: string;
  id?: string;
  status: number | string;
  at: number;
}

export class PatientWriter {
  readonly outcomes: WriteOutcome[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private seq = 0;
  /** 12 digits: a per-run prefix, then a sequence number. */
  private readonly prefix = String(Date.now() % 1_000_000).padStart(6, '0');

  constructor(
    private readonly api: string,
    private readonly token: string,
    readonly marker: string,
  ) {}

  get acknowledged(): WriteOutcome[] {
    return this.outcomes.filter((o) => o.id);
  }

  /** `parallel` loops, each writing as fast as the API answers (a short pause after a failure). */
  start(parallel = 2): void {
    this.running = true;
    for (let i = 0; i < parallel; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const ok = await this.writeOne();
      if (!ok) await new Promise((r) => setTimeout(r, 50));
    }
  }

  async writeOne(): Promise<boolean> {
    const nationalId = `${this.prefix}${String(this.seq++).padStart(6, '0')}`;
    const outcome: WriteOutcome = { nationalId, status: 'pending', at: Date.now() };
    this.outcomes.push(outcome);
    try {
      const res = await fetch(`${this.api}/api/patients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({
          fullName: `${this.marker} ${nationalId}`,
          dateOfBirth: '1970-01-01',
          sex: 'female',
          nationalId,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      outcome.status = res.status;
      const body = (await res.json().catch(() => ({}))) as { id?: string; nationalId?: string };
      if (res.status === 201 && body.id) outcome.id = body.id;
      return res.status === 201;
    } catch (err) {
      outcome.status = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      return false;
    }
  }

  /** How many of each status (201, 503, ECONNREFUSED, …). */
  statusCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const o of this.outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
    return counts;
  }
}

interface Page {
  items: { id: string; fullName: string }[];
}

/**
 * Every patient the requester can find whose name carries `marker`, by national ID → how often
 * it occurs (paging through GET /api/patients?q=).
 */
export async function storedByNationalId(
  api: string,
  token: string,
  marker: string,
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (let offset = 0; ; offset += 100) {
    const res = await fetch(
      `${api}/api/patients?q=${encodeURIComponent(marker)}&limit=100&offset=${offset}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (res.status !== 200) throw new Error(`patient search: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as Page | Page['items'];
    const items = Array.isArray(body) ? body : body.items; // the list envelope, or a bare array
    for (const p of items) {
      const nationalId = p.fullName.split(' ').pop()!;
      found.set(nationalId, [...(found.get(nationalId) ?? []), p.id]);
    }
    if (items.length < 100) return found;
  }
}
