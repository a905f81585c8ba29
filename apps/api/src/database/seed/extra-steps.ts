import { seedDemoRoster } from '../../emergency/demo-roster.seed';
import { seedDemoIcd10 } from '../../icd10/demo-catalogue.seed';
import { seedDemoAvailability } from '../../scheduling/demo-availability.seed';
import type { SeedStep } from './types';

export type { SeedStep } from './types';

/**
 * Seed steps other domains add after the core demo data (e.g. the weekly availability of
 * DEMO_SPECIALIST_EMAILS). One line per step; each runs in the seed's transaction.
 */
export const EXTRA_SEED_STEPS: SeedStep[] = [seedDemoAvailability, seedDemoIcd10, seedDemoRoster];
