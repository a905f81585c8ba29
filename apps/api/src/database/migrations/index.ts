import { InitialSchema1763900000000 } from './1763900000000-InitialSchema';
import { SchedulingAndCollaboration1763990000000 } from './1763990000000-SchedulingAndCollaboration';
import { AvailabilityPatterns1763990000001 } from './1763990000001-AvailabilityPatterns';
import { FreeSlotsOfCancelledRequests1763990000002 } from './1763990000002-FreeSlotsOfCancelledRequests';
import { AccentInsensitiveSearch1763990000003 } from './1763990000003-AccentInsensitiveSearch';
import { ListOrderIndexes1764000000000 } from './1764000000000-ListOrderIndexes';
import { AccountSecurity1764100000000 } from './1764100000000-AccountSecurity';
import { PatientRevisions1764200000000 } from './1764200000000-PatientRevisions';
import { SessionStatusVocabulary1764300000000 } from './1764300000000-SessionStatusVocabulary';
import { CaseAccess1764400000000 } from './1764400000000-CaseAccess';
import { MinutesRevision1764400000001 } from './1764400000001-MinutesRevision';
import { IdempotencyKeys1764500000000 } from './1764500000000-IdempotencyKeys';
import { Icd10Diagnoses1764900000000 } from './1764900000000-Icd10Diagnoses';
import { SessionLifecycle1765000000000 } from './1765000000000-SessionLifecycle';
import { ConsultationMode1765100000000 } from './1765100000000-ConsultationMode';
import { OnCallRoster1765250000000 } from './1765250000000-OnCallRoster';
import { SfuPlacement1765300000000 } from './1765300000000-SfuPlacement';
import { Recordings1765400000000 } from './1765400000000-Recordings';
import { TrainingSessions1765500000000 } from './1765500000000-TrainingSessions';
import { AttachmentSeries1765640000000 } from './1765640000000-AttachmentSeries';
import { PacsImport1765657000000 } from './1765657000000-PacsImport';
import { MachineReadings1765870000000 } from './1765870000000-MachineReadings';
import { DicomInbox1765893000000 } from './1765893000000-DicomInbox';
import { RecentDicomIndex1765912000000 } from './1765912000000-RecentDicomIndex';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list works from the
 * compiled app, the typeorm CLI and ts sources under jest. Append new classes at the end.
 */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  SchedulingAndCollaboration1763990000000,
  AvailabilityPatterns1763990000001,
  FreeSlotsOfCancelledRequests1763990000002,
  AccentInsensitiveSearch1763990000003,
  ListOrderIndexes1764000000000,
  AccountSecurity1764100000000,
  PatientRevisions1764200000000,
  SessionStatusVocabulary1764300000000,
  CaseAccess1764400000000,
  MinutesRevision1764400000001,
  IdempotencyKeys1764500000000,
  Icd10Diagnoses1764900000000,
  SessionLifecycle1765000000000,
  ConsultationMode1765100000000,
  OnCallRoster1765250000000,
  SfuPlacement1765300000000,
  Recordings1765400000000,
  TrainingSessions1765500000000,
  AttachmentSeries1765640000000,
  PacsImport1765657000000,
  MachineReadings1765870000000,
  DicomInbox1765893000000,
  RecentDicomIndex1765912000000,
];
