import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { MachineReader, MachineReaderSettings } from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { ApiException, notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { MachineReadingsRepository, ReaderRow } from './machine-readings.repository';
import { sealToken } from './reader-token-cipher';

const shown = (r: ReaderRow): MachineReader => ({
  facilityId: r.facilityId,
  url: r.url,
  hasToken: r.tokenSealed !== null,
  modalities: r.modalities,
  bodyParts: r.bodyParts,
  updatedAt: r.updatedAt.toISOString(),
});

/** An admin registers, changes or removes a facility's external reader. */
@Injectable()
export class MachineReadersService {
  constructor(
    @Inject(MachineReadingsRepository) private readonly repo: MachineReadingsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(facilityId: string): Promise<MachineReader> {
    const r = await this.repo.reader(facilityId);
    if (!r) throw notFound('Machine reader');
    return shown(r);
  }

  async save(actor: Actor, facilityId: string, s: MachineReaderSettings): Promise<MachineReader> {
    if (!(await this.repo.facilityExists(facilityId))) throw notFound('Facility');
    let tokenSealed: string | null | undefined = s.token === undefined ? undefined : null;
    if (s.token) {
      // The token is a credential to another system: never kept in clear.
      if (!this.config.STORAGE_KEY)
        throw new ApiException(
          HttpStatus.CONFLICT,
          'A reader token is stored encrypted: set STORAGE_KEY on the API first',
          [{ path: 'token', message: 'needs STORAGE_KEY to be stored encrypted' }],
        );
      tokenSealed = sealToken(this.config.STORAGE_KEY, s.token);
    }
    const saved = await this.repo.saveReader(facilityId, {
      url: s.url,
      tokenSealed,
      modalities: [...new Set(s.modalities)],
      bodyParts: [...new Set(s.bodyParts)],
    });
    await this.audit.record(actor, 'machine_reader.save', {
      type: 'facility',
      id: facilityId,
      details: {
        url: s.url,
        token: s.token === undefined ? 'kept' : s.token ? 'set' : 'removed',
        modalities: saved.modalities,
        bodyParts: saved.bodyParts,
      },
    });
    return shown(saved);
  }

  async remove(actor: Actor, facilityId: string): Promise<void> {
    if (!(await this.repo.deleteReader(facilityId))) throw notFound('Machine reader');
    await this.audit.record(actor, 'machine_reader.remove', { type: 'facility', id: facilityId });
  }
}
