import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import {
  LoginRequestSchema,
  LoginResponseSchema,
  MfaLoginRequestSchema,
  MfaLoginResponseSchema,
  TokenPairSchema,
  UserSummarySchema,
} from '@caunoi/shared';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AuthService } from './auth.service';
import { AuthUser, ClientAddress, CurrentSignIn, CurrentUser, SignInContext } from './current-user';
import { Public } from './public.decorator';
import { clearRefreshCookie, refreshTokenOf, withRefreshCookie } from './refresh-cookie';
import { Answers, AnswersNothing } from '../common/openapi';

class LoginDto extends createZodDto(LoginRequestSchema) {}
class MfaLoginDto extends createZodDto(MfaLoginRequestSchema) {}
const optionalRefresh = z.object({ refreshToken: z.string().min(16).max(4096).optional() });
class RefreshDto extends createZodDto(optionalRefresh) {}
class LogoutDto extends createZodDto(optionalRefresh) {}

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A token pair (also set as the refresh cookie), or the next step of the sign-in:
   * `{ mfaRequired, mfaToken }` or `{ step, limitedToken, user }`.
   */
  @Public()
  @Answers(LoginResponseSchema)
  @Post('auth/login')
  @HttpCode(200)
  async login(
    @Body() body: LoginDto,
    @ClientAddress() address: string | null,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.withCookie(req, res, await this.auth.login(body, address));
  }

  @Public()
  @Answers(MfaLoginResponseSchema)
  @Post('auth/mfa')
  @HttpCode(200)
  async mfa(
    @Body() body: MfaLoginDto,
    @ClientAddress() address: string | null,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.withCookie(
      req,
      res,
      await this.auth.loginSecondFactor(body.mfaToken, body.code, address),
    );
  }

  /** `refreshToken` from the body (non-browser clients) or the httpOnly cookie (+ CSRF header). */
  @Public()
  @Answers(TokenPairSchema)
  @Post('auth/refresh')
  @HttpCode(200)
  async refresh(
    @Body() body: RefreshDto,
    @ClientAddress() address: string | null,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const token = refreshTokenOf(req, body?.refreshToken);
    if (!token) throw new UnauthorizedException('A refresh token is required (body or cookie)');
    try {
      return this.withCookie(req, res, await this.auth.refresh(token, address));
    } catch (err) {
      clearRefreshCookie(req, res, this.config);
      throw err;
    }
  }

  /** Ends this sign-in (the refresh token's, else the access token's). Access tokens stop at once for sockets. */
  @ApiBearerAuth()
  @AnswersNothing('Signed out; the refresh cookie is cleared')
  @Post('auth/logout')
  @HttpCode(204)
  async logout(
    @CurrentUser() user: AuthUser,
    @CurrentSignIn() signIn: SignInContext,
    @Body() body: LogoutDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logout(user.id, signIn.sid, refreshTokenOf(req, body?.refreshToken));
    clearRefreshCookie(req, res, this.config);
  }

  @ApiBearerAuth()
  @Answers(UserSummarySchema)
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }

  private withCookie<T extends object>(req: Request, res: Response, result: T): T {
    return withRefreshCookie(req, res, this.config, result);
  }
}
