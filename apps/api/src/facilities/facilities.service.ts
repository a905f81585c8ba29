import { Inject, Injectable } from '@nestjs/common';
import { FACILITY_LEVELS } from '@caunoi/shared';
import type {
  CreateFacility,
  CreateSupportLink,
  Facility,
  FacilityDetail,
  FacilityListQuery,
  List,
  SupportLink,
  UpdateFacility,
} from '@caunoi/shared';
import type { Actor } from '../auth/current-user';
import { AuditService } from '../audit/audit.service';
import { conflict, notFound, invalidInput } from '../common/errors';
import { FacilitiesRepository } from './facilities.repository';

@Injectable()
export class FacilitiesService {
  constructor(
    @Inject(FacilitiesRepository) private readonly repo: FacilitiesRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(q: FacilityListQuery): Promise<List<Facility>> {
    return { items: await this.repo.list(q) };
  }

  async get(id: string): Promise<FacilityDetail> {
    const facility = await this.repo.findById(id);
    if (!facility) throw notFound('Facility');
    const links = await this.repo.linksOf(id);
    return {
      ...facility,
      supportedBy: links
        .filter((l) => l.supported.id === id)
        .map((l) => ({ linkId: l.id, kind: l.kind, facility: l.supporter })),
      supports: links
        .filter((l) => l.supporter.id === id)
        .map((l) => ({ linkId: l.id, kind: l.kind, facility: l.supported })),
    };
  }

  async create(actor: Actor, input: CreateFacility): Promise<Facility> {
    const f = await this.repo.create(input);
    await this.audit.record(actor, 'facility.create', { type: 'facility', id: f.id });
    return f;
  }

  async update(actor: Actor, id: string, input: UpdateFacility): Promise<Facility> {
    const f = await this.repo.update(id, input);
    if (!f) throw notFound('Facility');
    await this.audit.record(actor, 'facility.update', { type: 'facility', id });
    return f;
  }

  /** Support flows down the tiers (or sideways for satellites): a commune never supports a central hospital. */
  async link(actor: Actor, input: CreateSupportLink): Promise<SupportLink> {
    if (input.supporterId === input.supportedId)
      throw invalidInput({ path: 'supportedId', message: 'A facility cannot support itself' });
    const [a, b] = await Promise.all([
      this.repo.findById(input.supporterId),
      this.repo.findById(input.supportedId),
    ]);
    if (!a) throw invalidInput({ path: 'supporterId', message: 'Does not name a facility' });
    if (!b) throw invalidInput({ path: 'supportedId', message: 'Does not name a facility' });
    if (FACILITY_LEVELS.indexOf(a.level) > FACILITY_LEVELS.indexOf(b.level)) {
      throw invalidInput({
        path: 'supportedId',
        message: `a ${a.level} facility cannot support a ${b.level} facility`,
      });
    }
    if (await this.repo.supports(a.id, b.id))
      throw conflict(`${a.name} already supports ${b.name}`);
    const link = await this.repo.createLink(input);
    await this.audit.record(actor, 'support_link.create', { type: 'support_link', id: link.id });
    return { id: link.id, kind: input.kind, supporter: a, supported: b };
  }

  async unlink(actor: Actor, id: string) {
    if (!(await this.repo.deleteLink(id))) throw notFound('Support link');
    await this.audit.record(actor, 'support_link.delete', { type: 'support_link', id });
  }
}
