import { Module } from '@nestjs/common';
import { MinutesModule } from '../minutes/minutes.module';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';

@Module({ imports: [MinutesModule], controllers: [FhirController], providers: [FhirService] })
export class FhirModule {}
