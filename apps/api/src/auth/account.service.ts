import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import type { ChangePasswordRequest, LimitedSignIn, TokenPair } from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import { invalidInput, notFound } from '../common/errors';
import { UsersRepository } from '../users/users.repository';
import { AuthService } from './auth.service';
import type { Actor, SignInContext } from './current-user';
import { SecondFactorService } from './second-factor.service';
import { SignOuts } from './sign-outs';

export const BCRYPT_COST = 10;

/**
 * What a user does to their own account: change the password, enrol a TOTP authenticator. Both
 * are also the steps an unfinished sign-in owes; finishing one continues that sign-in.
 */
@Injectable()
export class AccountService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SecondFactorService) private readonly secondFactor: SecondFactorService,
    @Inject(SignOuts) private readonly signOuts: SignOuts,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /**
   * Ends every other sign-in of the user. From a forced change (a limited token) the sign-in
   * continues: the answer is the next step or a token pair; from a full sign-in it is nothing.
   */
  async changePassword(
    actor: Actor,
    signIn: SignInContext,
    input: ChangePasswordRequest,
  ): Promise<TokenPair | LimitedSignIn | null> {
    const user = await this.users.findById(actor.user.id);
    if (!user) throw notFound('User');
    if (!(await bcrypt.compare(input.currentPassword, user.passwordHash)))
      throw invalidInput({ path: 'currentPassword', message: 'The current password is wrong' });
    if (input.newPassword === input.currentPassword)
      throw invalidInput({ path: 'newPassword', message: 'Choose a password you did not use now' });
    const updated = await this.users.update(user.id, {
      passwordHash: await bcrypt.hash(input.newPassword, BCRYPT_COST),
      mustChangePassword: false,
    });
    await this.signOuts.endAllOf(user.id, signIn.sid);
    await this.audit.record(actor, 'auth.password_change', { type: 'user', id: user.id });
    return signIn.step ? this.auth.continueSignIn(updated!) : null;
  }

  async beginTotp(actor: Actor) {
    const user = await this.users.findById(actor.user.id);
    if (!user) throw notFound('User');
    return this.secondFactor.beginTotp(user);
  }

  /** Activates TOTP; returns the ten recovery codes (shown once) and, from an enrolment step, the sign-in. */
  async activateTotp(actor: Actor, signIn: SignInContext, code: string) {
    const user = await this.users.findById(actor.user.id);
    if (!user) throw notFound('User');
    const recoveryCodes = await this.secondFactor.activateTotp(user, code);
    await this.audit.record(actor, 'auth.mfa_enrol', { type: 'user', id: user.id });
    if (!signIn.step) return { recoveryCodes };
    const next = await this.auth.continueSignIn((await this.users.findById(user.id))!);
    return { recoveryCodes, ...next };
  }
}
