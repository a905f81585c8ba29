import { Module } from '@nestjs/common';
import { CollaborationModule } from '../collaboration/collaboration.module';
import { ConsultationsModule } from '../consultations/consultations.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PatientsModule } from '../patients/patients.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { SfuNodesModule } from '../sfu-nodes/sfu-nodes.module';
import { UsersModule } from '../users/users.module';
import { AdmissionService } from './admission.service';
import { AttendanceRepository } from './attendance.repository';
import { AttendanceController } from './attendance.controller';
import { AttendanceService } from './attendance.service';
import { BookingService } from './booking.service';
import { JoinTokenSigner } from './join-token.signer';
import { SessionBookingsRepository } from './session-bookings.repository';
import { SessionLifecycleRepository } from './session-lifecycle.repository';
import { SessionLifecycleService } from './session-lifecycle.service';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { SfuCommands } from './sfu-commands';
import { TrainingController } from './training.controller';
import { TrainingRepository } from './training.repository';
import { TrainingService } from './training.service';

@Module({
  imports: [
    ConsultationsModule,
    SchedulingModule,
    CollaborationModule,
    UsersModule,
    FacilitiesModule,
    PatientsModule,
    SfuNodesModule,
  ],
  controllers: [SessionsController, TrainingController, AttendanceController],
  providers: [
    SessionsRepository,
    SessionBookingsRepository,
    AttendanceRepository,
    SessionsService,
    AdmissionService,
    AttendanceService,
    BookingService,
    JoinTokenSigner,
    SessionLifecycleRepository,
    SessionLifecycleService,
    SfuCommands,
    TrainingRepository,
    TrainingService,
  ],
  exports: [SessionsService, SessionsRepository, SessionBookingsRepository, SfuCommands],
})
export class SessionsModule {}
