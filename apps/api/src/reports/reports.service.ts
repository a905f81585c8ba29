import { Inject, Injectable } from '@nestjs/common';
import type { List, ReportQuery, SessionsPerFacilityRow, TimeToSessionRow } from '@caunoi/shared';
import type { AuthUser } from '../auth/current-user';
import { ReportFilter, ReportsRepository } from './reports.repository';

/** Aggregates only, no patient data. Admins see the whole network; a coordinator sees their facility. */
@Injectable()
export class ReportsService {
  constructor(@Inject(ReportsRepository) private readonly repo: ReportsRepository) {}

  private filter(user: AuthUser, q: ReportQuery): ReportFilter {
    const facilityId = user.roles.includes('admin') ? (q.facilityId ?? null) : user.facilityId;
    return { from: q.from ?? null, to: q.to ?? null, facilityId };
  }

  async sessionsPerFacility(user: AuthUser, q: ReportQuery): Promise<List<SessionsPerFacilityRow>> {
    return { items: await this.repo.sessionsPerFacilityAndMonth(this.filter(user, q)) };
  }

  async timeToSession(user: AuthUser, q: ReportQuery): Promise<List<TimeToSessionRow>> {
    return { items: await this.repo.timeToSessionByUrgency(this.filter(user, q)) };
  }
}
