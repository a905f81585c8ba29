import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AccessModule } from './access/access.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { CollaborationModule } from './collaboration/collaboration.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { ValidationPipe } from './common/validation.pipe';
import { LoggingModule } from './common/logging.module';
import { ConfigModule } from './config/config.module';
import { ConsultationsModule } from './consultations/consultations.module';
import { DatabaseModule } from './database/database.module';
import { EmergencyModule } from './emergency/emergency.module';
import { FacilitiesModule } from './facilities/facilities.module';
import { FhirModule } from './fhir/fhir.module';
import { HealthModule } from './health/health.module';
import { Icd10Module } from './icd10/icd10.module';
import { MachineReadingsModule } from './machine-readings/machine-readings.module';
import { MetricsModule } from './metrics/metrics.module';
import { MinutesModule } from './minutes/minutes.module';
import { PacsModule } from './pacs/pacs.module';
import { PatientsModule } from './patients/patients.module';
import { RecordingsModule } from './recordings/recordings.module';
import { ReportsModule } from './reports/reports.module';
import { RetentionModule } from './retention/retention.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';

/** Platform modules first, then one import per domain module. */
@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    MetricsModule,
    HealthModule,
    AuditModule,
    UsersModule,
    AuthModule,
    AccessModule,
    // domain modules
    FacilitiesModule,
    PatientsModule,
    ConsultationsModule,
    AttachmentsModule,
    PacsModule,
    Icd10Module,
    MinutesModule,
    FhirModule,
    ReportsModule,
    SchedulingModule,
    SessionsModule,
    RecordingsModule,
    MachineReadingsModule,
    CollaborationModule,
    CalendarModule,
    RetentionModule,
    EmergencyModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: ValidationPipe },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AppModule {}
