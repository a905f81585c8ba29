import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { MachineReadingsModule } from '../machine-readings/machine-readings.module';
import { MinutesModule } from '../minutes/minutes.module';
import { PatientsModule } from '../patients/patients.module';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';
import { PatientRecordController } from './patient-record.controller';
import { PatientRecordService } from './patient-record.service';

@Module({
  imports: [MinutesModule, PatientsModule, AttachmentsModule, MachineReadingsModule],
  controllers: [FhirController, PatientRecordController],
  providers: [FhirService, PatientRecordService],
})
export class FhirModule {}
