import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { joinAmbientTransactions } from './ambient-transaction';
import { migrateAsOwner } from './app-role';
import { dataSourceOptions } from './data-source.options';
import { SeedOnStart } from './seed.service';

/**
 * A connection the server drops (PostgreSQL stopped or restarted) can emit 'error' more than once;
 * TypeORM listens only until it has released the connection, and an 'error' event nobody listens
 * to would end the process. The failure itself reaches the query that was running (→ 503).
 */
function keepConnectionErrorsHandled(ds: DataSource): void {
  const pool = (ds.driver as unknown as { master?: EventEmitter }).master;
  pool?.on('connect', (client: EventEmitter) => client.on('error', () => {}));
}

/**
 * Provides the TypeORM DataSource. Repositories inject it and speak SQL; migrations run before
 * the first request is served.
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DataSource> => {
        // With a separate owner role, migrations run as the owner and the app connects with
        // row-level rights only; otherwise the app's own role applies them (development, tests).
        const ownerUrl = config.DATABASE_MIGRATION_URL;
        if (ownerUrl) await migrateAsOwner(ownerUrl, config.DATABASE_URL);
        const ds = new DataSource({
          ...dataSourceOptions(config.DATABASE_URL),
          migrationsRun: !ownerUrl,
        } as DataSourceOptions);
        await ds.initialize();
        keepConnectionErrorsHandled(ds);
        return joinAmbientTransactions(ds);
      },
    },
    SeedOnStart,
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
