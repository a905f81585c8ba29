import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { ConsultationsModule } from '../consultations/consultations.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { Icd10Module } from '../icd10/icd10.module';
import { PatientsModule } from '../patients/patients.module';
import { MinutesController } from './minutes.controller';
import { MinutesDocumentAssembler } from './minutes-document';
import { MinutesRepository } from './minutes.repository';
import { MinutesService } from './minutes.service';

@Module({
  imports: [ConsultationsModule, PatientsModule, FacilitiesModule, AttachmentsModule, Icd10Module],
  controllers: [MinutesController],
  providers: [MinutesRepository, MinutesDocumentAssembler, MinutesService],
  exports: [MinutesDocumentAssembler, MinutesRepository],
})
export class MinutesModule {}
