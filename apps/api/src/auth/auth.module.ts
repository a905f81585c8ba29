import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LiveSignIns } from './live-sign-ins';
import { LoginThrottleService } from './login-throttle.service';
import { SecondFactorRepository } from './second-factor.repository';
import { SecondFactorService } from './second-factor.service';
import { SignOutsModule } from './sign-outs';
import { TokenService } from './token.service';

@Module({
  imports: [UsersModule, SignOutsModule],
  controllers: [AuthController, AccountController],
  providers: [
    AuthService,
    AccountService,
    TokenService,
    LoginThrottleService,
    LiveSignIns,
    SecondFactorRepository,
    SecondFactorService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService],
})
export class AuthModule {}
