import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PatientsModule } from '../patients/patients.module';
import { UsersModule } from '../users/users.module';
import { CollabNotifier } from './collab-notifier';
import { CollaborationController } from './collaboration.controller';
import { CollaborationGateway } from './collaboration.gateway';
import { CollaborationRepository } from './collaboration.repository';
import { SocketSignIn } from './socket-sign-in';
import { CollaborationService } from './collaboration.service';

@Module({
  imports: [AuthModule, UsersModule, PatientsModule],
  controllers: [CollaborationController],
  providers: [
    CollaborationGateway,
    CollaborationService,
    CollaborationRepository,
    CollabNotifier,
    SocketSignIn,
  ],
  exports: [CollabNotifier],
})
export class CollaborationModule {}
