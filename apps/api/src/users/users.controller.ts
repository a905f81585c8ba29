import { Body, Controller, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { createZodDto } from 'nestjs-zod';
import {
  CreateUserSchema,
  UpdateUserSchema,
  UserAccountSchema,
  UserListQuerySchema,
} from '@caunoi/shared';
import { Actor, AuthUser, CurrentActor, CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.decorator';
import { UsersService } from './users.service';
import { Answers, AnswersList } from '../common/openapi';

class CreateUserDto extends createZodDto(CreateUserSchema) {}
class UpdateUserDto extends createZodDto(UpdateUserSchema) {}
class UserListQueryDto extends createZodDto(UserListQuerySchema) {}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  /** Coordinators list people to invite to sessions; admins manage accounts. */
  @Roles('admin', 'coordinator')
  @AnswersList(UserAccountSchema)
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: UserListQueryDto) {
    return this.users.list(user, q);
  }

  @Roles('admin', 'coordinator')
  @Answers(UserAccountSchema)
  @Get(':id')
  get(@Param('id', ParseIdPipe) id: string) {
    return this.users.get(id);
  }

  @Roles('admin')
  @Answers(UserAccountSchema)
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto) {
    return this.users.create(actor, body);
  }

  @Roles('admin')
  @Answers(UserAccountSchema)
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: UpdateUserDto,
  ) {
    return this.users.update(actor, id, body);
  }
}
