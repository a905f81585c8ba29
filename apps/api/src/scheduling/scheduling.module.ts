import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { UsersModule } from '../users/users.module';
import { AvailabilityRepository } from './availability.repository';
import { AvailabilityService } from './availability.service';
import { CLOCK, systemClock } from './clock';
import { SchedulingController } from './scheduling.controller';
import { SchedulingService } from './scheduling.service';

/** Exports the clock too: sessions use the same "now" for the join window. */
@Module({
  imports: [UsersModule, FacilitiesModule],
  controllers: [SchedulingController],
  providers: [
    AvailabilityRepository,
    AvailabilityService,
    SchedulingService,
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [SchedulingService, AvailabilityRepository, CLOCK],
})
export class SchedulingModule {}
