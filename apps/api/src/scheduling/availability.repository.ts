import { Inject, Injectable } from '@nestjs/common';
import type { AvailabilityExceptionKind, Urgency } from '@caunoi/shared';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../common/sql';
import type { Interval } from './intervals';
import type { WeeklyRule } from './slot-finder';

/** A user (specialist) or a facility (its bridge room): the two kinds of party a session books. */
export type Party = { kind: 'user'; id: string } | { kind: 'site'; id: string };

const ownerColumn = (p: Party) => (p.kind === 'user' ? 'user_id' : 'facility_id');

interface RangeRow {
  owner: string;
  kind?: string;
  lower: Date;
  upper: Date;
}

const toInterval = (r: RangeRow): Interval => ({
  start: r.lower.getTime(),
  end: r.upper.getTime(),
});

@Injectable()
export class AvailabilityRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * Weekly rules per owner. An owner who has published a pattern (even an empty one) gets an
   * entry; one who never has gets none, and is treated as available at any time.
   */
  async weeklyRules(kind: Party['kind'], ids: string[]): Promise<Map<string, WeeklyRule[]>> {
    const col = ownerColumn({ kind, id: '' });
    const out = new Map<string, WeeklyRule[]>();
    const published: Array<{ owner: string }> = await this.db.query(
      `SELECT ${col} AS owner FROM availability_patterns WHERE ${col} = ANY($1::uuid[])`,
      [ids],
    );
    for (const p of published) out.set(p.owner, []);
    const rows: Array<{
      owner: string;
      weekday: number;
      start_minute: number;
      end_minute: number;
    }> = await this.db.query(
      `SELECT ${col} AS owner, weekday, start_minute, end_minute FROM availability_rules
        WHERE ${col} = ANY($1::uuid[]) ORDER BY weekday, start_minute`,
      [ids],
    );
    for (const r of rows) {
      const list = out.get(r.owner) ?? [];
      list.push({ weekday: r.weekday, startMinute: r.start_minute, endMinute: r.end_minute });
      out.set(r.owner, list);
    }
    return out;
  }

  /** Replaces the whole weekly pattern in one transaction (the week view saves it as a whole). */
  async replaceWeekly(party: Party, rules: WeeklyRule[], m?: EntityManager): Promise<void> {
    const run = async (tx: EntityManager) => {
      const col = ownerColumn(party);
      await tx.query(`DELETE FROM availability_rules WHERE ${col} = $1`, [party.id]);
      await tx.query(
        `INSERT INTO availability_patterns (${col}) VALUES ($1) ON CONFLICT (${col}) DO UPDATE SET updated_at = now()`,
        [party.id],
      );
      for (const r of rules) {
        await tx.query(
          `INSERT INTO availability_rules (${col}, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)`,
          [party.id, r.weekday, r.startMinute, r.endMinute],
        );
      }
    };
    await (m ? run(m) : this.db.transaction(run));
  }

  async exceptions(
    kind: Party['kind'],
    ids: string[],
    from: Date,
    to: Date,
  ): Promise<Array<RangeRow & { kind: string }>> {
    const col = ownerColumn({ kind, id: '' });
    return this.db.query(
      `SELECT ${col} AS owner, kind, lower(during) AS lower, upper(during) AS upper FROM availability_exceptions
        WHERE ${col} = ANY($1::uuid[]) AND during && tstzrange($2::timestamptz, $3::timestamptz)`,
      [ids, from, to],
    );
  }

  async listExceptions(party: Party) {
    const rows: Array<{
      id: string;
      kind: AvailabilityExceptionKind;
      lower: Date;
      upper: Date;
      note: string | null;
    }> = await this.db.query(
      `SELECT id, kind, lower(during) AS lower, upper(during) AS upper, note FROM availability_exceptions
        WHERE ${ownerColumn(party)} = $1 AND upper(during) > now() - interval '30 days' ORDER BY lower(during)`,
      [party.id],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      startsAt: r.lower.toISOString(),
      endsAt: r.upper.toISOString(),
      note: r.note,
    }));
  }

  async addException(
    party: Party,
    kind: string,
    startsAt: string,
    endsAt: string,
    note: string | null,
  ): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO availability_exceptions (${ownerColumn(party)}, kind, during, note) VALUES ($1, $2, tstzrange($3::timestamptz, $4::timestamptz), $5) RETURNING id`,
      [party.id, kind, startsAt, endsAt, note],
    );
    return row.id;
  }

  async deleteException(party: Party, id: string): Promise<boolean> {
    const res = await this.db.query(
      `DELETE FROM availability_exceptions WHERE id = $1 AND ${ownerColumn(party)} = $2 RETURNING id`,
      [id, party.id],
    );
    return rowsOf(res).length > 0;
  }

  /** Live (not cancelled) bookings of these parties that overlap [from, to). */
  async bookings(
    kind: Party['kind'],
    ids: string[],
    from: Date,
    to: Date,
    exceptSessionId?: string,
  ): Promise<RangeRow[]> {
    const col = ownerColumn({ kind, id: '' });
    return this.db.query(
      `SELECT ${col} AS owner, lower(during) AS lower, upper(during) AS upper FROM session_bookings
        WHERE NOT cancelled AND ${col} = ANY($1::uuid[]) AND during && tstzrange($2::timestamptz, $3::timestamptz)
          AND ($4::uuid IS NULL OR session_id <> $4)`,
      [ids, from, to, exceptSessionId ?? null],
    );
  }

  async urgencyOf(consultationId: string): Promise<Urgency | undefined> {
    const rows = await this.db.query(`SELECT urgency FROM consultations WHERE id = $1`, [
      consultationId,
    ]);
    return rows[0]?.urgency;
  }

  static intervalsByOwner(rows: RangeRow[]): Map<string, Interval[]> {
    const out = new Map<string, Interval[]>();
    for (const r of rows) out.set(r.owner, [...(out.get(r.owner) ?? []), toInterval(r)]);
    return out;
  }
}
