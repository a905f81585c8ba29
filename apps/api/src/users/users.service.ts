import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import type { CreateUser, UpdateUser, UserListQuery } from '@caunoi/shared';
import type { Actor, AuthUser } from '../auth/current-user';
import { AuditService } from '../audit/audit.service';
import { conflict, notFound, invalidInput } from '../common/errors';
import { toSummary, UsersRepository } from './users.repository';

const CLINICAL_ROLES = ['requester', 'specialist', 'coordinator'];

@Injectable()
export class UsersService {
  constructor(
    @Inject(UsersRepository) private readonly repo: UsersRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Admins see disabled accounts too; coordinators choosing whom to invite see active ones only. */
  async list(caller: AuthUser, q: UserListQuery) {
    const activeOnly = !caller.roles.includes('admin');
    return (await this.repo.list({ ...q, activeOnly })).map((u) => ({
      ...toSummary(u),
      active: u.active,
    }));
  }

  async get(id: string) {
    const u = await this.repo.findById(id);
    if (!u) throw notFound('User');
    return { ...toSummary(u), active: u.active };
  }

  async create(actor: Actor, input: CreateUser) {
    this.assertConsistent(input.roles, input.facilityId, input.licenseNumber);
    if (await this.repo.findByEmail(input.email))
      throw conflict(`A user with e-mail ${input.email} already exists`);
    const u = await this.repo.create({
      email: input.email,
      passwordHash: await bcrypt.hash(input.password, 10),
      fullName: input.fullName,
      roles: [...new Set(input.roles)],
      facilityId: input.facilityId,
      specialty: input.specialty ?? null,
      licenseNumber: input.licenseNumber ?? null,
    });
    await this.audit.record(actor, 'user.create', { type: 'user', id: u.id });
    return { ...toSummary(u), active: u.active };
  }

  async update(actor: Actor, id: string, input: UpdateUser) {
    const current = await this.repo.findById(id);
    if (!current) throw notFound('User');
    this.assertConsistent(
      input.roles ?? current.roles,
      input.facilityId !== undefined ? input.facilityId : current.facilityId,
      input.licenseNumber !== undefined ? input.licenseNumber : current.licenseNumber,
    );
    const u = await this.repo.update(id, {
      ...input,
      roles: input.roles ? [...new Set(input.roles)] : undefined,
      passwordHash: input.password ? await bcrypt.hash(input.password, 10) : undefined,
    });
    await this.audit.record(actor, 'user.update', {
      type: 'user',
      id,
      details: { fields: Object.keys(input) },
    });
    return { ...toSummary(u!), active: u!.active };
  }

  /** Clinicians belong to a facility, and doctors who give or ask for opinions carry a licence. */
  private assertConsistent(
    roles: string[],
    facilityId: string | null | undefined,
    licenseNumber: string | null | undefined,
  ) {
    if (roles.some((r) => CLINICAL_ROLES.includes(r)) && !facilityId) {
      throw invalidInput(
        {
          path: 'facilityId',
          message: 'Required for requester, specialist and coordinator accounts',
        },
        'facilityId is required for requester, specialist and coordinator accounts',
      );
    }
    if (roles.includes('specialist') && !licenseNumber) {
      throw invalidInput(
        { path: 'licenseNumber', message: 'Required for specialists' },
        'licenseNumber is required for specialists',
      );
    }
  }
}
