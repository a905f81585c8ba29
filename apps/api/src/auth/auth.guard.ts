import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import { toSummary, UsersRepository } from '../users/users.repository';
import { clientAddress, type AuthedRequest } from './current-user';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLES } from './roles.decorator';
import { LiveSignIns } from './live-sign-ins';
import { STEP_SCOPES } from './step-route.decorator';
import { StepScope, TokenService } from './token.service';

/**
 * The one gate in front of every route: bearer token → current user (fresh from the database,
 * so a disabled account or a changed role takes effect at once) → required roles.
 * Relationship checks ("may this user see that consultation") live in AccessPolicy.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(LiveSignIns) private readonly signIns: LiveSignIns,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (ctx.getType() !== 'http') return true; // websocket gateways authenticate their own handshake

    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw new UnauthorizedException('A bearer access token is required');
    const claims = this.tokens.verifyAccess(token);
    const steps = this.reflector.getAllAndOverride<StepScope[] | undefined>(STEP_SCOPES, targets);
    const step = claims ? null : steps?.length ? this.tokens.verifyStep(token, steps) : null;
    if (!claims && !step) throw new UnauthorizedException('Access token is invalid or expired');
    const [user, live] = await Promise.all([
      this.users.findById(claims?.sub ?? step!.sub),
      claims?.sid ? this.signIns.isLive(claims.sid) : true,
    ]);
    if (!user || !user.active)
      throw new UnauthorizedException('Account is disabled or no longer exists');
    if (!live) throw new UnauthorizedException('This sign-in has ended; sign in again');
    req.user = toSummary(user) as AuthedRequest['user'];
    req.signIn = claims ? { sid: claims.sid } : { step: step!.scope };

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length && !required.some((r) => user.roles.includes(r))) {
      // A refused attempt is in the trail like any other (the route, never its query string).
      await this.audit.record({ user: req.user!, address: clientAddress(req) }, 'access.refused', {
        type: 'route',
        details: { method: req.method, route: req.route?.path, required },
      });
      throw new ForbiddenException(`This action needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}
