import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { DEMO_USERS } from '../../src/database/seed/demo-network';

export type DemoEmail =
  | 'admin@caunoi.demo'
  | 'coordinator@central-a.demo'
  | 'specialist1@central-a.demo'
  | 'specialist2@central-a.demo'
  | 'requester@district-1.demo'
  | 'requester@commune-1.demo'
  | 'coordinator@central-b.demo';

export const DEMO_PASSWORD = 'CauNoi#2026';

export interface TestApp {
  app: INestApplication;
  /** supertest bound to the running server */
  http: () => request.Agent;
  /** bearer access token of each demo account */
  tokens: Record<DemoEmail, string>;
  /** id of each demo account */
  userIds: Record<DemoEmail, string>;
  /** facility id by demo code (BV-TW-A, TTYT-H1, …) */
  facilityIds: Record<string, string>;
  /** direct SQL through the app's own connection (its DB role) */
  sql: <T = Record<string, unknown>>(query: string, params?: unknown[]) => Promise<T[]>;
  attachmentsDir: string;
  close: () => Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'No PostgreSQL: set TEST_DATABASE_URL (global-setup starts an embedded one otherwise)',
    );
  return url;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  client.on('error', () => {}); // the server may drop idle admin connections during DROP … FORCE
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Boots the whole API on a fresh database: migrations, demo seed, ephemeral port, and a
 * token per demo role so an access-matrix test is a table of expectations.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { separateAppRole?: boolean; server?: string } = {},
): Promise<TestApp> {
  const base = opts.server ?? serverUrl();
  const dbName = `caunoi_test_${randomBytes(6).toString('hex')}`;
  await admin(base, `CREATE DATABASE ${dbName}`);
  const attachmentsDir = mkdtempSync(path.join(os.tmpdir(), 'caunoi-att-'));
  // As deployed: migrations as the owner, the app as a role with row rights only.
  const appRole = opts.separateAppRole ? `${dbName}_app` : undefined;
  const ownerUrl = withDatabase(base, dbName);
  let appUrl = ownerUrl;
  if (appRole) {
    const password = randomBytes(12).toString('hex');
    await admin(base, `CREATE ROLE ${appRole} LOGIN PASSWORD '${password}'`);
    const u = new URL(ownerUrl);
    u.username = appRole;
    u.password = password;
    appUrl = u.toString();
  }
  Object.assign(process.env, {
    DATABASE_URL: appUrl,
    DATABASE_MIGRATION_URL: appRole ? ownerUrl : '',
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    SEED_DEMO: 'true',
    DEMO_PASSWORD,
    ATTACHMENTS_DIR: attachmentsDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    ...env,
  });
  let app: INestApplication | undefined;
  try {
    app = await createApp();
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    await app?.close().catch(() => {});
    await admin(base, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    if (appRole) await admin(base, `DROP ROLE IF EXISTS ${appRole}`).catch(() => {});
    throw err;
  }
  const server = app.getHttpServer();
  const http = () => request.agent(server);
  const ds = app.get(DataSource);
  const sql = async <T>(query: string, params: unknown[] = []) =>
    (await ds.query(query, params)) as T[];

  const tokens = {} as Record<DemoEmail, string>;
  const userIds = {} as Record<DemoEmail, string>;
  for (const u of DEMO_USERS) {
    const res = await http()
      .post('/api/auth/login')
      .send({ email: u.email, password: DEMO_PASSWORD });
    if (res.status !== 200)
      throw new Error(`demo login ${u.email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    tokens[u.email as DemoEmail] = res.body.accessToken;
    userIds[u.email as DemoEmail] = res.body.user.id;
  }
  const facilityIds: Record<string, string> = {};
  for (const f of await sql<{ code: string; id: string }>('SELECT code, id FROM facilities'))
    facilityIds[f.code] = f.id;

  return {
    app,
    http,
    tokens,
    userIds,
    facilityIds,
    sql,
    attachmentsDir,
    close: async () => {
      await app!.close();
      await admin(base, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      if (appRole) await admin(base, `DROP ROLE IF EXISTS ${appRole}`);
      rmSync(attachmentsDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** supertest parser that collects a binary body (PDF, DICOM) into a Buffer. */
export function binaryParser(res: unknown, cb: (err: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
