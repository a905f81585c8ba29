import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.module';
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
        const ds = new DataSource(dataSourceOptions(config.DATABASE_URL));
        await ds.initialize(); // migrationsRun: pending migrations are applied here
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
