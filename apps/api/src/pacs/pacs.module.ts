import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { DicomInboxController } from './dicom-inbox.controller';
import { DicomInboxRepository } from './dicom-inbox.repository';
import { DicomInboxService } from './dicom-inbox.service';
import { DicomReceiver } from './dicom-receiver';
import { PacsConfigRepository } from './pacs-config.repository';
import { PacsConfigService } from './pacs-config.service';
import { PacsController } from './pacs.controller';
import { PacsImportService } from './pacs-import.service';
import { PacsImportsRepository } from './pacs-imports.repository';
import { PacsSearchService } from './pacs-search.service';

/**
 * A facility's PACS over DICOMweb (settings, searches, imports into requests) and its DICOM
 * inbox (studies pushed by C-STORE to the API's DICOM receiver).
 */
@Module({
  imports: [AttachmentsModule, FacilitiesModule],
  controllers: [PacsController, DicomInboxController],
  providers: [
    DicomInboxRepository,
    DicomInboxService,
    DicomReceiver,
    PacsConfigRepository,
    PacsConfigService,
    PacsImportsRepository,
    PacsImportService,
    PacsSearchService,
  ],
})
export class PacsModule {}
