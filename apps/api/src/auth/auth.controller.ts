import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { LoginRequestSchema, RefreshRequestSchema } from '@caunoi/shared';
import { AuthService } from './auth.service';
import { AuthUser, ClientAddress, CurrentUser } from './current-user';
import { Public } from './public.decorator';

class LoginDto extends createZodDto(LoginRequestSchema) {}
class RefreshDto extends createZodDto(RefreshRequestSchema) {}
class LogoutDto extends createZodDto(
  z.object({ refreshToken: z.string().min(16).max(4096).optional() }),
) {}

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @ClientAddress() address: string | null) {
    return this.auth.login(body, address);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshDto, @ClientAddress() address: string | null) {
    return this.auth.refresh(body.refreshToken, address);
  }

  /** Revokes the refresh token's sign-in (or all of the user's). Access tokens expire on their own. */
  @ApiBearerAuth()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser, @Body() body: LogoutDto): Promise<void> {
    await this.auth.logout(user.id, body?.refreshToken);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}
