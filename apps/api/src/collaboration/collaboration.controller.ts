import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ChatMessage, List, SavedAnnotation } from '@caunoi/shared';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { notFound } from '../common/errors';
import { CollaborationRepository } from './collaboration.repository';

/** The kept record of a session's collaboration: chat history and annotations. */
@ApiTags('sessions')
@ApiBearerAuth()
@Controller('sessions')
export class CollaborationController {
  constructor(@Inject(CollaborationRepository) private readonly repo: CollaborationRepository) {}

  @Get(':id/messages')
  async messages(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<List<ChatMessage>> {
    if (!(await this.repo.mayRead(id, user))) throw notFound('Session');
    return { items: await this.repo.messages(id) };
  }

  @Get(':id/annotations')
  async annotations(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('attachmentId', ParseUUIDPipe) attachmentId: string,
  ): Promise<List<SavedAnnotation>> {
    if (
      !(await this.repo.mayRead(id, user)) ||
      !(await this.repo.attachmentInSession(attachmentId, id))
    )
      throw notFound('Session');
    return { items: await this.repo.annotations(attachmentId) };
  }
}
