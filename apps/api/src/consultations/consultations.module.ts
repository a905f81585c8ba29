import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PatientsModule } from '../patients/patients.module';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

/** Exports ConsultationsService.changeStatus for sessions and minutes. */
@Module({
  imports: [FacilitiesModule, PatientsModule],
  controllers: [ConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService],
  exports: [ConsultationsService, ConsultationsRepository],
})
export class ConsultationsModule {}
