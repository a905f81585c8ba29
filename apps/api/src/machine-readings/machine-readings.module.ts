import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { CollaborationModule } from '../collaboration/collaboration.module';
import { MachineReadersService } from './machine-readers.service';
import { MachineReadingJob } from './machine-reading.job';
import { MachineReadingsController } from './machine-readings.controller';
import { MachineReadingsRepository } from './machine-readings.repository';
import { MachineReadingsService } from './machine-readings.service';

/** Machine pre-reads: external readers, the durable send job, findings and their review. */
@Module({
  imports: [AttachmentsModule, CollaborationModule],
  controllers: [MachineReadingsController],
  providers: [
    MachineReadingsRepository,
    MachineReadersService,
    MachineReadingsService,
    MachineReadingJob,
  ],
  // The patient-record export carries the machine suggestions made on the patient's images.
  exports: [MachineReadingsRepository],
})
export class MachineReadingsModule {}
