import { Inject, Injectable } from '@nestjs/common';
import type { PacsConfig, PacsTestResult, PutPacsConfig } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import { hasRole, type Actor } from '../auth/current-user';
import { conflict, invalidInput, notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { DicomWebClient, PacsFault } from './dicomweb-client';
import { PacsConfigRepository, PacsConfigRow } from './pacs-config.repository';
import { openSecret, sealSecret } from './pacs-secret';

const toConfig = (r: PacsConfigRow): PacsConfig => ({
  facilityId: r.facilityId,
  baseUrl: r.baseUrl,
  label: r.label,
  authKind: r.authKind,
  username: r.username,
  hasPassword: r.authKind === 'basic' && !!r.sealedSecret,
  hasToken: r.authKind === 'bearer' && !!r.sealedSecret,
  updatedAt: r.updatedAt.toISOString(),
});

/**
 * Each facility's PACS: the platform administrator sets it (there is no facility administrator
 * role); the facility's own users may see that it exists (the web offers "Import from PACS"),
 * never the secret, which is sealed with the storage key before it reaches the database.
 */
@Injectable()
export class PacsConfigService {
  constructor(
    @Inject(PacsConfigRepository) private readonly repo: PacsConfigRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(actor: Actor, facilityId: string): Promise<PacsConfig> {
    await this.mustExist(facilityId);
    await this.access.require(
      actor,
      hasRole(actor.user, 'admin') || actor.user.facilityId === facilityId,
      "Only an administrator or the facility's own staff may see its PACS settings",
      { type: 'facility', id: facilityId },
    );
    const row = await this.repo.find(facilityId);
    if (!row) throw notFound('PACS configuration');
    return toConfig(row);
  }

  async put(actor: Actor, facilityId: string, input: PutPacsConfig): Promise<PacsConfig> {
    await this.mustExist(facilityId);
    const before = await this.repo.find(facilityId);
    const secretField = input.authKind === 'basic' ? 'password' : 'token';
    const given = input.authKind === 'basic' ? input.password : input.token;
    let sealed: Buffer | null = null;
    if (input.authKind !== 'none') {
      if (given) {
        if (!this.config.STORAGE_KEY)
          throw conflict(
            'PACS secrets are stored encrypted with STORAGE_KEY, which this server does not have; set it first',
            undefined,
            'storage_key_missing',
          );
        sealed = sealSecret(this.config.STORAGE_KEY, facilityId, given);
      } else if (before?.authKind === input.authKind && before.sealedSecret) {
        sealed = before.sealedSecret; // left out: keep the stored one
      } else {
        throw invalidInput({ path: secretField, message: `Required for ${input.authKind} auth` });
      }
    }
    const row = await this.repo.upsert({
      facilityId,
      baseUrl: input.baseUrl,
      label: input.label || null,
      authKind: input.authKind,
      username: input.authKind === 'basic' ? (input.username ?? null) : null,
      sealedSecret: sealed,
      updatedBy: actor.user.id,
    });
    await this.audit.record(actor, 'pacs.configure', {
      type: 'facility',
      id: facilityId,
      details: { authKind: input.authKind, secretChanged: !!given },
    });
    return toConfig(row);
  }

  async remove(actor: Actor, facilityId: string): Promise<void> {
    if (!(await this.repo.remove(facilityId))) throw notFound('PACS configuration');
    await this.audit.record(actor, 'pacs.remove', { type: 'facility', id: facilityId });
  }

  /** Asks the PACS for one study: proves the address, the DICOMweb root and the credentials. */
  async test(actor: Actor, facilityId: string): Promise<PacsTestResult> {
    const client = await this.client(facilityId);
    let result: PacsTestResult;
    try {
      await client.search('studies', { limit: '1' });
      result = { ok: true, message: 'The PACS answered a DICOMweb (QIDO-RS) search' };
    } catch (err) {
      if (!(err instanceof PacsFault)) throw err;
      result = { ok: false, code: err.code, message: err.message };
    }
    await this.audit.record(actor, 'pacs.test', {
      type: 'facility',
      id: facilityId,
      details: { ok: result.ok, ...(result.code ? { code: result.code } : {}) },
    });
    return result;
  }

  /** A client for the facility's PACS; 409 `pacs_not_configured` without one. */
  async client(facilityId: string): Promise<DicomWebClient> {
    const row = await this.repo.find(facilityId);
    if (!row)
      throw conflict(
        'This facility has no PACS configured; an administrator can set one up',
        undefined,
        'pacs_not_configured',
      );
    let secret: string | null = null;
    if (row.sealedSecret) {
      if (!this.config.STORAGE_KEY)
        throw conflict(
          'The PACS password is sealed with STORAGE_KEY, which this server does not have',
          undefined,
          'storage_key_missing',
        );
      secret = openSecret(this.config.STORAGE_KEY, facilityId, row.sealedSecret);
    }
    return new DicomWebClient(
      { baseUrl: row.baseUrl, authKind: row.authKind, username: row.username, secret },
      this.config.PACS_TIMEOUT_SECONDS * 1000,
    );
  }

  private async mustExist(facilityId: string): Promise<void> {
    if (!(await this.facilities.findById(facilityId))) throw notFound('Facility');
  }
}
