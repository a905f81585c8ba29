import { Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './env.schema';

/** Injection token for the typed configuration: `@Inject(APP_CONFIG) config: AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: (): AppConfig => loadConfig() }],
  exports: [APP_CONFIG],
})
export class ConfigModule {}

export type { AppConfig };
