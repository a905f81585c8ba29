import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { FINAL_CONSULTATION_STATUSES } from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import { everyInterval } from '../common/interval-job';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { RetentionRepository } from './retention.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeReport {
  ranAt: string;
  deleted: { refreshTokens: number };
  /** Closed consultations (with their minutes, files, chat) still inside the retention period. */
  heldUnderRetention: number;
  /** Closed longer ago than the retention period: listed for the facility's archive decision. */
  pastRetention: number;
}

/**
 * Keeps only what must be kept, and never less. Medical records (consultations, minutes,
 * attachments, chat, recordings) and the audit trail are kept for at least RETENTION_YEARS (never
 * below 10: consultation records are kept 10 years) and are never deleted by this job, even after
 * the period: destroying a medical record is an archival decision of the facility, so the job only
 * counts them. What it deletes is what protects nobody: refresh tokens that can no longer be used.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RetentionRepository) private readonly repo: RetentionRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = everyInterval(
      this.config.PURGE_INTERVAL_MINUTES * 60_000,
      () => this.purge(new Date()),
      this.logger,
      'Purge',
    );
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One purge run as of `now`; null when another API instance is running one. */
  async purge(now: Date): Promise<PurgeReport | null> {
    return this.repo.exclusively(async () => {
      const cutoff = new Date(now);
      cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.config.RETENTION_YEARS);
      const refreshTokens = await this.repo.deleteDeadRefreshTokens(
        new Date(now.getTime() - DAY_MS),
      );
      const closed = await this.repo.closedConsultations(cutoff, FINAL_CONSULTATION_STATUSES);
      const report: PurgeReport = {
        ranAt: now.toISOString(),
        deleted: { refreshTokens },
        heldUnderRetention: closed.held,
        pastRetention: closed.pastRetention,
      };
      await this.audit.record(null, 'retention.purge', {
        type: 'system',
        details: { ...report.deleted, held: report.heldUnderRetention, past: report.pastRetention },
      });
      return report;
    });
  }
}
