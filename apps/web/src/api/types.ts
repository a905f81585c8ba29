import type { ConsultationStatus, FacilityLevel, Role, Urgency } from '@caunoi/shared';

/**
 * Response shapes the client reads. The request bodies come from @caunoi/shared; responses are
 * typed here loosely (optional nested objects) so that a richer API answer never breaks a page.
 */

export interface Facility {
  id: string;
  code: string;
  name: string;
  province?: string;
  level: FacilityLevel;
  supports?: SupportLink[];
  supportedBy?: SupportLink[];
}

export interface SupportLink {
  id?: string;
  linkId?: string;
  supporterId?: string;
  supportedId?: string;
  supporter?: Pick<Facility, 'id' | 'name'>;
  supported?: Pick<Facility, 'id' | 'name'>;
  facility?: Pick<Facility, 'id' | 'name'>;
  kind?: string;
}

export interface UserRecord {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  facilityId: string | null;
  facility?: Pick<Facility, 'id' | 'name'> | null;
  specialty?: string | null;
  licenseNumber?: string | null;
  active?: boolean;
}

export interface Consent {
  id?: string;
  kind: 'teleconsultation' | 'recording';
  granted: boolean;
  recordedAt?: string;
  createdAt?: string;
  recordedBy?: { id: string; fullName: string } | string | null;
  recordedById?: string;
}

export interface Patient {
  id: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'male' | 'female' | 'other';
  nationalId?: string | null;
  insuranceNumber?: string | null;
  facilityId?: string;
  consents?: Consent[];
  createdAt?: string;
}

export interface Attachment {
  id: string;
  fileName?: string;
  filename?: string;
  originalName?: string;
  name?: string;
  mimeType?: string;
  mediaType?: string;
  contentType?: string;
  kind?: string;
  size?: number;
  sizeBytes?: number;
  createdAt?: string;
  consultationId?: string;
}

export interface HistoryEntry {
  from?: ConsultationStatus | null;
  to: ConsultationStatus;
  status?: ConsultationStatus;
  at?: string;
  createdAt?: string;
  by?: { id: string; fullName: string } | string | null;
  actor?: { id: string; fullName: string } | null;
  actorName?: string;
  reason?: string | null;
}

export interface SessionSummary {
  id: string;
  startsAt: string;
  endsAt: string;
  status?: string;
  title?: string | null;
  consultationIds?: string[];
  consultations?: Array<
    Pick<Consultation, 'id' | 'status' | 'specialty'> & { patient?: Pick<Patient, 'fullName'> }
  >;
  participantIds?: string[];
  participants?: Array<{
    id?: string;
    userId?: string;
    fullName?: string;
    user?: { id: string; fullName: string };
  }>;
  facilityIds?: string[];
  facilities?: Array<Pick<Facility, 'id' | 'name'>>;
  warnings?: string[];
  warning?: string;
}

export interface Consultation {
  id: string;
  status: ConsultationStatus;
  urgency: Urgency;
  specialty: string;
  summary: string;
  question: string;
  patientId: string;
  patient?: Pick<Patient, 'id' | 'fullName' | 'dateOfBirth' | 'sex'> | null;
  requestingFacilityId?: string;
  requestingFacility?: Pick<Facility, 'id' | 'name'> | null;
  targetFacilityId: string;
  targetFacility?: Pick<Facility, 'id' | 'name'> | null;
  requesterId?: string;
  requester?: { id: string; fullName: string } | null;
  createdAt: string;
  updatedAt?: string;
  submittedAt?: string | null;
  declineReason?: string | null;
  statusReason?: string | null;
  allowedActions?: string[];
  cancelReason?: string | null;
  history?: HistoryEntry[];
  events?: HistoryEntry[];
  attachments?: Attachment[];
  sessions?: SessionSummary[];
  sessionId?: string | null;
}

export interface Slot {
  startsAt: string;
  endsAt: string;
  outsideAvailability?: boolean;
}

export interface AvailabilityBlock {
  userId?: string;
  facilityId?: string;
  startsAt: string;
  endsAt: string;
}

export interface Minutes {
  id?: string;
  consultationId: string;
  version?: number;
  summary: string;
  opinions: string;
  conclusion: string;
  recommendations: string;
  chairId: string;
  chair?: { id: string; fullName: string } | null;
  secretaryId?: string | null;
  participants?: Array<{
    id?: string;
    userId?: string;
    fullName: string;
    facilityName?: string;
    facility?: string;
  }>;
  versions?: Array<{ id: string; version: number; status: string; signedAt: string | null }>;
  signedAt?: string | null;
  signedBy?: { id: string; fullName: string } | string | null;
  status?: string;
}

export interface AuditEvent {
  id: string;
  at?: string;
  createdAt?: string;
  actorId?: string | null;
  actor?: { id: string; fullName: string; email?: string } | null;
  actorName?: string;
  action: string;
  targetType?: string;
  targetId?: string | null;
  target?: string;
  patientId?: string | null;
  address?: string | null;
  ip?: string | null;
}

export function attachmentName(a: Attachment): string {
  return a.fileName ?? a.filename ?? a.originalName ?? a.name ?? a.id;
}

export type AttachmentKind = 'pdf' | 'image' | 'dicom' | 'other';

export function attachmentKind(a: Attachment): AttachmentKind {
  const type = (a.mediaType ?? a.mimeType ?? a.contentType ?? a.kind ?? '').toLowerCase();
  const name = attachmentName(a).toLowerCase();
  if (type.includes('dicom') || type === 'dicom' || name.endsWith('.dcm')) return 'dicom';
  if (type.includes('pdf') || name.endsWith('.pdf')) return 'pdf';
  if (type.startsWith('image/') || type === 'image' || /\.(png|jpe?g)$/.test(name)) return 'image';
  return 'other';
}

export function historyOf(c: Consultation): HistoryEntry[] {
  return c.history ?? c.events ?? [];
}
