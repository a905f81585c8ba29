/**
 * What the room suites arrange the same way: their own stack, browser and database client, and a
 * case of a new district patient (arranged in SQL where the API has no shortcut), consented and
 * booked into a session starting now with the requester and a specialist, through the API.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { launch, PASSWORD } from './browser.ts';
import { restCall } from './rest.ts';
import { startStack, type Stack } from './stack.ts';
import { writeSummary } from './summary.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export const REQUESTER = 'requester@district-1.demo';
export const SPECIALIST = 'specialist1@central-a.demo';
export const COORDINATOR = 'coordinator@central-a.demo';

export interface Pg {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

/** The stack's database and API, seen as the demo people. */
export class CaseKit {
  // Plain fields: the suites run with Node's type stripping, which has no parameter properties.
  readonly stack: Stack;
  readonly db: Pg;
  constructor(stack: Stack, db: Pg) {
    this.stack = stack;
    this.db = db;
  }

  static async open(stack: Stack): Promise<CaseKit> {
    const { Client } = require('pg') as { Client: new (o: { connectionString: string }) => Pg };
    const db = new Client({ connectionString: stack.dbUrl });
    await db.connect();
    return new CaseKit(stack, db);
  }

  /** The first row of a query. */
  one = async (sql: string, params: unknown[] = []) => (await this.db.query(sql, params)).rows[0];

  userId = async (email: string) =>
    (await this.one(`SELECT id FROM users WHERE email = $1`, [email])).id as string;

  facilityId = async (code: string) =>
    (await this.one(`SELECT id FROM facilities WHERE code = $1`, [code])).id as string;

  async token(email: string): Promise<string> {
    const res = await fetch(`${this.stack.apiUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    assert.equal(res.status, 200, `login ${email}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  api = (token: string, method: string, url: string, body?: unknown) =>
    restCall(this.stack.apiUrl, token, method, url, body);

  /** A new patient of the district hospital (TTYT-H1), registered by its requester. */
  async districtPatient(fullName: string, dateOfBirth: string, sex: 'male' | 'female') {
    const row = await this.one(
      `INSERT INTO patients (facility_id, full_name, date_of_birth, sex, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [await this.facilityId('TTYT-H1'), fullName, dateOfBirth, sex, await this.userId(REQUESTER)],
    );
    return row.id as string;
  }

  /** An urgent respiratory request to central A, already accepted (the API has no call that skips review). */
  async acceptedRequest(patientId: string, summary: string): Promise<string> {
    const row = await this.one(
      `INSERT INTO consultations (patient_id, requesting_facility_id, requester_id, target_facility_id,
         specialty, urgency, summary, question, status, submitted_at)
       VALUES ($1, $2, $3, $4, 'hô hấp', 'urgent', $5, 'Xin hội chẩn', 'accepted', now())
       RETURNING id`,
      [
        patientId,
        await this.facilityId('TTYT-H1'),
        await this.userId(REQUESTER),
        await this.facilityId('BV-TW-A'),
        summary,
      ],
    );
    return row.id as string;
  }

  /** The patient's consent, given through the API by the requester. */
  async consent(requester: string, patientId: string, kind: 'teleconsultation' | 'recording') {
    const res = await this.api(requester, 'POST', `/patients/${patientId}/consents`, {
      kind,
      granted: true,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }

  /** A one-hour session from now for the request, with the requester and the specialist. */
  async bookNow(coordinator: string, consultationId: string): Promise<string> {
    const startsAt = Date.now();
    const booked = await this.api(coordinator, 'POST', '/sessions', {
      consultationIds: [consultationId],
      participantIds: [await this.userId(SPECIALIST), await this.userId(REQUESTER)],
      facilityIds: [],
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 3600_000).toISOString(),
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    return booked.body.id as string;
  }
}

/**
 * A room suite's life: `before` starts a stack (live demo sessions ended, logs in
 * test-results/logs-<name>), opens the database and Chromium; `after` closes them and writes the
 * summary (web-e2e-<name>), passed only once the test set `passed`.
 */
export function roomSuite(
  name: string,
  hooks: { before?: () => Promise<void>; after?: () => void } = {},
) {
  const s = { passed: false } as {
    stack: Stack;
    browser: Browser;
    kit: CaseKit;
    passed: boolean;
  };
  before(async () => {
    await hooks.before?.();
    s.stack = await startStack({
      logsDir: path.join(here, `../../test-results/logs-${name}`),
      endLiveDemoSessions: true,
    });
    s.kit = await CaseKit.open(s.stack);
    s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    await s.kit?.db.end();
    await s.stack?.stop();
    hooks.after?.();
    writeSummary(`web-e2e-${name}`, { passed: s.passed ? 1 : 0, failed: s.passed ? 0 : 1 });
  });
  return s;
}
