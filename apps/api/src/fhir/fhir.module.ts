import { Module } from '@nestjs/common';
import { MinutesModule } from '../minutes/minutes.module';
import { FhirController } from './fhir.controller';

@Module({ imports: [MinutesModule], controllers: [FhirController] })
export class FhirModule {}
