import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { DatabaseUnavailableException } from '../common/errors';
import { Answers } from '../common/openapi';
import { HealthSchema, ReadinessSchema } from '@caunoi/shared';

/** How long a health probe waits for PostgreSQL before calling it down. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Liveness and readiness apart: while PostgreSQL is down the API process is alive (it answers
 * 503s and recovers by itself when the database returns), so a supervisor must not restart it,
 * but a load balancer should route elsewhere.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Liveness: 200 whenever the process serves requests; `db` says how the database is. */
  @Public()
  @Answers(HealthSchema)
  @Get()
  @HttpCode(200)
  async health(): Promise<{ status: 'ok'; db: 'up' | 'down' }> {
    return { status: 'ok', db: (await this.databaseUp()) ? 'up' : 'down' };
  }

  /** Readiness: 200 when requests can be served, else 503 `database_unavailable` with Retry-After. */
  @Public()
  @Answers(ReadinessSchema)
  @Get('ready')
  @HttpCode(200)
  async ready(): Promise<{ status: 'ready'; db: 'up' }> {
    if (!(await this.databaseUp())) throw new DatabaseUnavailableException();
    return { status: 'ready', db: 'up' };
  }

  private async databaseUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        this.dataSource.query('SELECT 1').then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
