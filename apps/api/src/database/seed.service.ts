import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { assertDemoSeedAllowed, seedDemoIfEmpty } from './seed/demo-seed';

/** SEED_DEMO=true (the demo launcher) seeds an empty database at start; production leaves it off. */
@Injectable()
export class SeedOnStart implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_DEMO) return;
    assertDemoSeedAllowed(this.config);
    const seeded = await seedDemoIfEmpty(this.db, this.config.DEMO_PASSWORD);
    this.logger.log(seeded ? 'Demo network seeded' : 'Demo seed skipped: database not empty');
  }
}
