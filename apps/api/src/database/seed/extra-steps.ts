import type { EntityManager } from 'typeorm';
import { seedDemoAvailability } from '../../scheduling/demo-availability.seed';
import type { DemoSeedResult } from './demo-seed';

/**
 * Seed steps other domains add after the core demo data (e.g. issue 4's weekly availability for
 * DEMO_SPECIALIST_EMAILS). One line per step; each runs in the seed's transaction.
 */
export type SeedStep = (m: EntityManager, seeded: DemoSeedResult) => Promise<void>;

export const EXTRA_SEED_STEPS: SeedStep[] = [seedDemoAvailability];
