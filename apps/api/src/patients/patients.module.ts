import { Module } from '@nestjs/common';
import { ConsentGate } from './consent-gate';
import { PatientsController } from './patients.controller';
import { PatientRevisionsRepository } from './patient-revisions.repository';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

@Module({
  controllers: [PatientsController],
  providers: [PatientsRepository, PatientRevisionsRepository, PatientsService, ConsentGate],
  exports: [PatientsRepository, ConsentGate],
})
export class PatientsModule {}
