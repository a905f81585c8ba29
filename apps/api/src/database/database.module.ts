import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { migrateAsOwner } from './app-role';
import { dataSourceOptions } from './data-source.options';
import { SeedOnStart } from './seed.service';

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
        return ds;
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
