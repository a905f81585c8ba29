import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import {
  isClinicalRole,
  type CreateUser,
  type List,
  type Role,
  type UpdateUser,
  type UserAccount,
  type UserListQuery,
} from '@caunoi/shared';
import type { Actor, AuthUser } from '../auth/current-user';
import { AuditService } from '../audit/audit.service';
import { BCRYPT_COST } from '../auth/account.service';
import { SignOuts } from '../auth/sign-outs';
import { conflict, forbidden, notFound, invalidInput } from '../common/errors';
import { toSummary, UserRecord, UsersRepository } from './users.repository';

const sameRoles = (a: string[], b: string[]) =>
  new Set(a).size === new Set(b).size && a.every((r) => b.includes(r));

@Injectable()
export class UsersService {
  constructor(
    @Inject(UsersRepository) private readonly repo: UsersRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(SignOuts) private readonly signOuts: SignOuts,
  ) {}

  /** Admins see disabled accounts too; coordinators choosing whom to invite see active ones only. */
  async list(caller: AuthUser, q: UserListQuery): Promise<List<UserAccount>> {
    const activeOnly = !caller.roles.includes('admin');
    return { items: (await this.repo.list({ ...q, activeOnly })).map(toAccount) };
  }

  async get(id: string): Promise<UserAccount> {
    const u = await this.repo.findById(id);
    if (!u) throw notFound('User');
    return toAccount(u);
  }

  async create(actor: Actor, input: CreateUser): Promise<UserAccount> {
    this.assertConsistent(input.roles, input.facilityId, input.licenseNumber);
    if (await this.repo.findByEmail(input.email))
      throw conflict(`A user with e-mail ${input.email} already exists`);
    const u = await this.repo.create({
      email: input.email,
      passwordHash: await bcrypt.hash(input.password, BCRYPT_COST),
      fullName: input.fullName,
      roles: [...new Set(input.roles)],
      facilityId: input.facilityId,
      specialty: input.specialty ?? null,
      licenseNumber: input.licenseNumber ?? null,
    });
    await this.audit.record(actor, 'user.create', { type: 'user', id: u.id });
    return toAccount(u);
  }

  async update(actor: Actor, id: string, input: UpdateUser): Promise<UserAccount> {
    const current = await this.repo.findById(id);
    if (!current) throw notFound('User');
    // Separation of duties: no one grants themselves a role (a clinical one would open patient data).
    if (id === actor.user.id && input.roles && !sameRoles(input.roles, current.roles))
      throw forbidden('You cannot change your own roles; ask another administrator');
    if (id === actor.user.id && input.resetSecondFactor)
      throw forbidden('You cannot remove your own second factor; ask another administrator');
    this.assertConsistent(
      input.roles ?? current.roles,
      input.facilityId !== undefined ? input.facilityId : current.facilityId,
      input.licenseNumber !== undefined ? input.licenseNumber : current.licenseNumber,
    );
    const { resetSecondFactor, ...changes } = input;
    if (resetSecondFactor) await this.repo.clearSecondFactor(id);
    const u = await this.repo.update(id, {
      ...changes,
      roles: input.roles ? [...new Set(input.roles)] : undefined,
      passwordHash: input.password ? await bcrypt.hash(input.password, BCRYPT_COST) : undefined,
      // A password set by an administrator is known to them: the user replaces it at next sign-in.
      mustChangePassword: input.password ? true : undefined,
    });
    // A reset or a disabled account ends every sign-in at once (refresh tokens and live sockets).
    if (input.password || input.active === false || resetSecondFactor)
      await this.signOuts.endAllOf(id);
    await this.audit.record(actor, 'user.update', {
      type: 'user',
      id,
      details: { fields: Object.keys(input) },
    });
    return toAccount(u!);
  }

  /** Clinicians belong to a facility, and doctors who give or ask for opinions carry a licence. */
  private assertConsistent(
    roles: Role[],
    facilityId: string | null | undefined,
    licenseNumber: string | null | undefined,
  ) {
    if (roles.some(isClinicalRole) && !facilityId) {
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

function toAccount(u: UserRecord): UserAccount {
  return { ...toSummary(u), active: u.active };
}
