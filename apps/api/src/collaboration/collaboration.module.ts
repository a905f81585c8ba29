import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { CollabNotifier } from './collab-notifier';
import { CollaborationController } from './collaboration.controller';
import { CollaborationGateway } from './collaboration.gateway';
import { CollaborationRepository } from './collaboration.repository';
import { SocketSignIn } from './socket-sign-in';

@Module({
  imports: [AuthModule, UsersModule],
  controllers: [CollaborationController],
  providers: [CollaborationGateway, CollaborationRepository, CollabNotifier, SocketSignIn],
  exports: [CollabNotifier],
})
export class CollaborationModule {}
