import { Module } from '@nestjs/common';
import { CollaborationModule } from '../collaboration/collaboration.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PatientsModule } from '../patients/patients.module';
import { AssignmentsRepository } from './assignments.repository';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';
import { WrittenConsultationsController } from './written-consultations.controller';
import { WrittenConsultationsService } from './written-consultations.service';

/** Exports ConsultationsService.changeStatus for sessions and minutes. */
@Module({
  imports: [FacilitiesModule, PatientsModule, CollaborationModule],
  controllers: [ConsultationsController, WrittenConsultationsController],
  providers: [
    ConsultationsRepository,
    ConsultationsService,
    AssignmentsRepository,
    WrittenConsultationsService,
  ],
  exports: [ConsultationsService, ConsultationsRepository, AssignmentsRepository],
})
export class ConsultationsModule {}
