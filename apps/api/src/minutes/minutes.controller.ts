import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../common/parse-id.pipe';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { MinutesInputSchema, MinutesViewSchema, SignMinutesSchema } from '@caunoi/shared';
import { Actor, CurrentActor } from '../auth/current-user';
import { MinutesService } from './minutes.service';
import { Answers, AnswersFile } from '../common/openapi';

class MinutesInputDto extends createZodDto(MinutesInputSchema) {}
class SignMinutesDto extends createZodDto(SignMinutesSchema) {}
class MinutesVersionQueryDto extends createZodDto(
  z.object({ version: z.coerce.number().int().min(1).optional() }),
) {}

@ApiTags('minutes')
@ApiBearerAuth()
@Controller('consultations/:id')
export class MinutesController {
  constructor(@Inject(MinutesService) private readonly minutes: MinutesService) {}

  @Answers(MinutesViewSchema)
  @Get('minutes')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string) {
    return this.minutes.get(actor, id);
  }

  /** Creates or replaces the open draft (after signing: opens a correction as the next version). */
  @Answers(MinutesViewSchema)
  @Put('minutes')
  save(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: MinutesInputDto,
  ) {
    return this.minutes.saveDraft(actor, id, body);
  }

  /** The chair signs the version (and revision) they read: 409 if the minutes changed since. */
  @Answers(MinutesViewSchema)
  @Post('minutes/sign')
  @HttpCode(200)
  sign(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: SignMinutesDto,
  ) {
    return this.minutes.sign(actor, id, body);
  }

  @AnswersFile('application/pdf', 'The minutes as a PDF')
  @Get('minutes.pdf')
  @ApiProduces('application/pdf')
  async pdf(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Query() q: MinutesVersionQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const { bytes, fileName } = await this.minutes.pdf(actor, id, q.version);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(bytes);
  }
}
