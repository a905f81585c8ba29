import { Module } from '@nestjs/common';
import { CollaborationModule } from '../collaboration/collaboration.module';
import { ConsultationsModule } from '../consultations/consultations.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PatientsModule } from '../patients/patients.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ClaimService } from './claim.service';
import { EmergencyCallsService } from './emergency-calls.service';
import { EmergencyController } from './emergency.controller';
import { EmergencyRepository } from './emergency.repository';
import { RosterRepository } from './roster.repository';
import { RosterService } from './roster.service';

/** Emergency consults: the on-call roster, ringing and escalation, claiming. */
@Module({
  imports: [
    ConsultationsModule,
    SessionsModule,
    SchedulingModule,
    CollaborationModule,
    FacilitiesModule,
    PatientsModule,
  ],
  controllers: [EmergencyController],
  providers: [
    RosterRepository,
    RosterService,
    EmergencyRepository,
    EmergencyCallsService,
    ClaimService,
  ],
})
export class EmergencyModule {}
