import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { PatientsModule } from '../patients/patients.module';
import { SessionsModule } from '../sessions/sessions.module';
import { RecordingPlaybackService } from './recording-playback.service';
import { RecordingsController } from './recordings.controller';
import { RecordingsInternalController } from './recordings-internal.controller';
import { RecordingsRepository } from './recordings.repository';
import { RecordingsService } from './recordings.service';

@Module({
  imports: [AttachmentsModule, PatientsModule, SessionsModule],
  controllers: [RecordingsController, RecordingsInternalController],
  providers: [RecordingsRepository, RecordingsService, RecordingPlaybackService],
})
export class RecordingsModule {}
