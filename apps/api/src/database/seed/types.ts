import type { EntityManager } from 'typeorm';

/** What the demo seed created, by natural key, for the steps that build on it. */
export interface DemoSeedResult {
  facilities: Record<string, string>; // code → id
  users: Record<string, string>; // email → id
  patients: Record<string, string>; // key → id
  consultations: string[];
}

/** A seed step another domain adds after the core demo data; runs in the seed's transaction. */
export type SeedStep = (m: EntityManager, seeded: DemoSeedResult) => Promise<void>;
