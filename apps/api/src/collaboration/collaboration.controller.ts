import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/current-user';
import { CollaborationService } from './collaboration.service';
import { AnswersList } from '../common/openapi';
import { ChatMessageSchema, SavedAnnotationSchema } from '@caunoi/shared';

/** The kept record of a session's collaboration: chat history and annotations. */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class CollaborationController {
  constructor(@Inject(CollaborationService) private readonly collab: CollaborationService) {}

  @AnswersList(ChatMessageSchema)
  @Get(':id/messages')
  messages(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.collab.messages(actor, id);
  }

  @AnswersList(SavedAnnotationSchema)
  @Get(':id/annotations')
  annotations(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('attachmentId', ParseUUIDPipe) attachmentId: string,
  ) {
    return this.collab.annotations(actor, id, attachmentId);
  }
}
