import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type {
  Diagnosis,
  DiagnosisInput,
  DiagnosisReportRow,
  Icd10ImportResult,
  Icd10SearchQuery,
  List,
  ReportQuery,
} from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import type { Actor, AuthUser } from '../auth/current-user';
import { ApiException, invalidInput } from '../common/errors';
import { parseIcd10Csv } from './icd10-csv';
import { Icd10Repository } from './icd10.repository';

/** The ICD-10 catalogue: search for pickers, import by an admin, validation of diagnoses. */
@Injectable()
export class Icd10Service {
  constructor(
    @Inject(Icd10Repository) private readonly repo: Icd10Repository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async search(q: Icd10SearchQuery) {
    return { items: await this.repo.search(q.q, q.limit) };
  }

  async import(actor: Actor, body: unknown): Promise<Icd10ImportResult> {
    if (typeof body !== 'string')
      throw new ApiException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'Send the catalogue as text/csv: code, Vietnamese name, English name',
      );
    const { entries, rejected } = parseIcd10Csv(body);
    if (!entries.length)
      throw invalidInput(
        { path: '(body)', message: 'no valid line (code, Vietnamese name, English name)' },
        `No ICD-10 code could be read${rejected[0] ? `: line ${rejected[0].line}: ${rejected[0].message}` : ''}`,
      );
    const counts = await this.repo.upsert(entries);
    await this.audit.record(actor, 'icd10.import', {
      type: 'icd10_catalogue',
      details: { ...counts, rejected: rejected.length },
    });
    return { ...counts, rejected: rejected.slice(0, 200) };
  }

  /**
   * Diagnoses as kept with minutes: each code must be in the catalogue (400 naming
   * `diagnoses.N.code`), names frozen now so that a signed record never changes.
   */
  async resolve(input: DiagnosisInput[] | undefined): Promise<Diagnosis[]> {
    if (!input?.length) return [];
    const found = new Map(
      (await this.repo.findMany(input.map((d) => d.code))).map((e) => [e.code, e]),
    );
    const missing = input
      .map((d, i) => ({ d, i }))
      .filter(({ d }) => !found.has(d.code))
      .map(({ d, i }) => ({
        path: `diagnoses.${i}.code`,
        message: `${d.code} is not in the ICD-10 catalogue`,
      }));
    if (missing.length) throw invalidInput(missing);
    const seen = new Set<string>();
    return input
      .filter((d) => !seen.has(d.code) && seen.add(d.code))
      .map((d) => ({ code: d.code, name: found.get(d.code)!.nameVi, primary: d.primary }));
  }

  /** Admins see the whole network; a coordinator, the consultations their facility gave. */
  async report(user: AuthUser, q: ReportQuery): Promise<List<DiagnosisReportRow>> {
    const facilityId = user.roles.includes('admin') ? (q.facilityId ?? null) : user.facilityId;
    return {
      items: await this.repo.diagnosesReport({
        from: q.from ?? null,
        to: q.to ?? null,
        facilityId,
      }),
    };
  }
}
