import { Controller, Get, Header, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { CalendarFeed } from '@caunoi/shared';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { Public } from '../auth/public.decorator';
import { notFound } from '../common/errors';
import { CalendarRepository } from './calendar.repository';
import { buildFeed } from './ics-feed';
import { Answers, AnswersFile } from '../common/openapi';
import { CalendarFeedSchema } from '@caunoi/shared';

/** The address the user reached us by: behind the web server's proxy, its forwarded host and scheme. */
const origin = (req: Request) => `${req.protocol}://${req.host}`;

/** Per-user iCalendar feed behind a secret URL (calendar apps cannot send a bearer token). */
@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(@Inject(CalendarRepository) private readonly repo: CalendarRepository) {}

  @ApiBearerAuth()
  @Answers(CalendarFeedSchema)
  @Get('me/calendar')
  async mine(@CurrentUser() user: AuthUser, @Req() req: Request): Promise<CalendarFeed> {
    return { url: `${origin(req)}/api/calendar/${await this.repo.feedToken(user.id)}.ics` };
  }

  /** A leaked URL is revoked by asking for a new one. */
  @ApiBearerAuth()
  @Answers(CalendarFeedSchema)
  @Post('me/calendar/rotate')
  async rotate(@CurrentUser() user: AuthUser, @Req() req: Request): Promise<CalendarFeed> {
    return { url: `${origin(req)}/api/calendar/${await this.repo.rotate(user.id)}.ics` };
  }

  @Public()
  @AnswersFile('text/calendar', 'The iCalendar feed of the sessions')
  @Get('calendar/:file')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  async feed(@Param('file') file: string, @Req() req: Request) {
    const token = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(file)?.[1];
    const user = token ? await this.repo.userByToken(token) : null;
    if (!user) throw notFound('Calendar');
    return buildFeed(
      user,
      await this.repo.sessionsOf(user.id),
      (id) => `${origin(req)}/sessions/${id}`,
    );
  }
}
