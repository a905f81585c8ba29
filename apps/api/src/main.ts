import { Logger } from 'nestjs-pino';
import { createApp } from './bootstrap';
import { installLastResort } from './common/last-resort';
import { APP_CONFIG, AppConfig } from './config/config.module';
import { InvalidEnvironmentError, loadConfig } from './config/env.schema';

async function main(): Promise<void> {
  // Validate the environment before Nest starts, so a bad variable is one clear line, not a stack.
  loadConfig();
  const app = await createApp();
  installLastResort(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.PORT, config.HOST);
}

main().catch((err) => {
  if (err instanceof InvalidEnvironmentError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
