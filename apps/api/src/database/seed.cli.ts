// `npm run seed -w apps/api`: applies migrations, then seeds the demo network on an empty database.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';
import { assertDemoSeedAllowed, seedDemoIfEmpty } from './seed/demo-seed';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  assertDemoSeedAllowed({
    NODE_ENV: process.env.NODE_ENV,
    SEED_DEMO_FORCE: ['true', '1', 'yes'].includes(process.env.SEED_DEMO_FORCE ?? ''),
  });
  const db = new DataSource(dataSourceOptions(url));
  await db.initialize();
  try {
    const seeded = await seedDemoIfEmpty(db, process.env.DEMO_PASSWORD || 'CauNoi#2026');
    console.log(
      seeded
        ? `Seeded ${Object.keys(seeded.users).length} demo accounts`
        : 'Database already has data; seed skipped',
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
