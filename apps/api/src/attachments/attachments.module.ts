import { Module } from '@nestjs/common';
import { AttachmentStorage } from './attachment-storage';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

@Module({
  controllers: [AttachmentsController],
  providers: [AttachmentStorage, AttachmentsRepository, AttachmentsService],
  exports: [AttachmentsRepository],
})
export class AttachmentsModule {}
