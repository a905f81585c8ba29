import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import {
  ChangePasswordRequestSchema,
  PasswordChangedSchema,
  TotpActivatedSchema,
  TotpEnrolmentSchema,
  TotpVerifyRequestSchema,
} from '@caunoi/shared';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AccountService } from './account.service';
import { Actor, CurrentActor, CurrentSignIn, SignInContext } from './current-user';
import { withRefreshCookie } from './refresh-cookie';
import { StepRoute } from './step-route.decorator';
import { Answers } from '../common/openapi';

class ChangePasswordDto extends createZodDto(ChangePasswordRequestSchema) {}
class TotpVerifyDto extends createZodDto(TotpVerifyRequestSchema) {}

/** The caller's own account: password and second factor. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class AccountController {
  constructor(
    @Inject(AccountService) private readonly account: AccountService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `{ passwordChanged: true }` from a full sign-in; from a forced change, the sign-in's next step or its tokens. */
  @StepRoute('password_change')
  @Answers(PasswordChangedSchema)
  @Post('password')
  @HttpCode(200)
  async changePassword(
    @CurrentActor() actor: Actor,
    @CurrentSignIn() signIn: SignInContext,
    @Body() body: ChangePasswordDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const next = await this.account.changePassword(actor, signIn, body);
    if (!next) return { passwordChanged: true };
    return withRefreshCookie(req, res, this.config, next);
  }

  /** Starts TOTP enrolment: the secret and its otpauth:// URI (for a QR code). */
  @StepRoute('mfa_enrolment')
  @Answers(TotpEnrolmentSchema)
  @Post('mfa/totp')
  @HttpCode(200)
  beginTotp(@CurrentActor() actor: Actor) {
    return this.account.beginTotp(actor);
  }

  /** Activates TOTP with a first code: the recovery codes (shown once), plus tokens from an enrolment step. */
  @StepRoute('mfa_enrolment')
  @Answers(TotpActivatedSchema)
  @Post('mfa/totp/verify')
  @HttpCode(200)
  async verifyTotp(
    @CurrentActor() actor: Actor,
    @CurrentSignIn() signIn: SignInContext,
    @Body() body: TotpVerifyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withRefreshCookie(
      req,
      res,
      this.config,
      await this.account.activateTotp(actor, signIn, body.code),
    );
  }
}
