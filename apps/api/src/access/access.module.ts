import { Global, Module } from '@nestjs/common';
import { AccessPolicy } from './access-policy.service';
import { AccessRepository } from './access.repository';
import { ConsultationScope } from './consultation-scope';

@Global()
@Module({
  providers: [AccessRepository, AccessPolicy, ConsultationScope],
  exports: [AccessPolicy, ConsultationScope],
})
export class AccessModule {}
