import { Module } from '@nestjs/common';
import { PatientsController } from './patients.controller';
import { PatientRevisionsRepository } from './patient-revisions.repository';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

@Module({
  controllers: [PatientsController],
  providers: [PatientsRepository, PatientRevisionsRepository, PatientsService],
  exports: [PatientsRepository],
})
export class PatientsModule {}
