import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { FacilitiesModule } from '../facilities/facilities.module';
import { PacsConfigRepository } from './pacs-config.repository';
import { PacsConfigService } from './pacs-config.service';
import { PacsController } from './pacs.controller';
import { PacsImportService } from './pacs-import.service';
import { PacsImportsRepository } from './pacs-imports.repository';
import { PacsSearchService } from './pacs-search.service';

/** A facility's PACS over DICOMweb: settings, searches and imports into requests. */
@Module({
  imports: [AttachmentsModule, FacilitiesModule],
  controllers: [PacsController],
  providers: [
    PacsConfigRepository,
    PacsConfigService,
    PacsImportsRepository,
    PacsImportService,
    PacsSearchService,
  ],
})
export class PacsModule {}
