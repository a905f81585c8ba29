import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@caunoi/shared';

/** The authenticated caller, loaded fresh from the database on every request. */
export interface AuthUser {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  facilityId: string | null;
  specialty: string | null;
  licenseNumber: string | null;
}

/** Who is asking and from where: what every audit record and access decision needs. */
export interface Actor {
  user: AuthUser;
  address: string | null;
}

/** How the caller signed in: a full sign-in (`sid`, its refresh-token family) or an unfinished step. */
export interface SignInContext {
  sid?: string;
  step?: 'password_change' | 'mfa_enrolment' | 'mfa';
}

export type AuthedRequest = Request & { user?: AuthUser; signIn?: SignInContext };

export const CurrentSignIn = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): SignInContext =>
    ctx.switchToHttp().getRequest<AuthedRequest>().signIn ?? {},
);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().user as AuthUser;
});

export function clientAddress(req: Request): string | null {
  return req.ip ?? req.socket?.remoteAddress ?? null;
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  return { user: req.user as AuthUser, address: clientAddress(req) };
});

export const ClientAddress = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | null =>
    clientAddress(ctx.switchToHttp().getRequest<Request>()),
);

export const hasRole = (user: AuthUser, ...roles: Role[]) =>
  roles.some((r) => user.roles.includes(r));
