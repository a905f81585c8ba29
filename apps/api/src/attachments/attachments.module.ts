import { Module } from '@nestjs/common';
import { AttachmentQuota } from './attachment-quota';
import { AttachmentStorage } from './attachment-storage';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

@Module({
  controllers: [AttachmentsController],
  providers: [AttachmentQuota, AttachmentStorage, AttachmentsRepository, AttachmentsService],
  exports: [AttachmentsRepository, AttachmentStorage, AttachmentsService],
})
export class AttachmentsModule {}
