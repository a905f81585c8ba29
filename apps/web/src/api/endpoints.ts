import type {
  Attachment,
  AuditEvent,
  AvailabilityBlock,
  BookedSession,
  CalendarFeed,
  ClaimResult,
  CreateOnCallShift,
  EmergencyCall,
  OnCallShift,
  Consent,
  ConsultationAction,
  ConsultationDetail,
  ConsultationView,
  CreateConsultation,
  CreateFacility,
  CreatePatient,
  CreateSession,
  CreateTrainingSession,
  CreateSupportLink,
  CreateUser,
  AssignSpecialists,
  Facility,
  Icd10Entry,
  Icd10ImportResult,
  FacilityDetail,
  JoinResponse,
  List,
  MinutesInput,
  MinutesView,
  Patient,
  PatientDetail,
  RecordConsent,
  Recording,
  RecordingChatItem,
  SignMinutes,
  SavedAnnotation,
  SessionListItem,
  SessionView,
  Suggestions,
  SupportLink,
  TokenPair,
  ChangePasswordRequest,
  LimitedSignIn,
  LoginResponse,
  TotpEnrolment,
  UpdateFacility,
  UpdateUser,
  UserAccount,
  UserSummary,
} from '@caunoi/shared';
import { fetchBlob, newIdempotencyKey, request, saveBlob, type RequestOptions } from './client';

/** The items of a list response (every list answers `{items, total?}`). */
async function items<T>(path: string, query?: RequestOptions['query']): Promise<T[]> {
  return (await request<List<T>>(path, query ? { query } : {})).items;
}

/** One function per REST call the client makes (SPEC "REST contract" and additions). */
export const api = {
  login: (email: string, password: string) =>
    request<LoginResponse>('/auth/login', {
      method: 'POST',
      body: { email, password },
      anonymous: true,
    }),
  loginSecondFactor: (mfaToken: string, code: string) =>
    request<TokenPair | LimitedSignIn>('/auth/mfa', {
      method: 'POST',
      body: { mfaToken, code },
      anonymous: true,
    }),
  /** Ends this sign-in; the refresh cookie goes with the request (path /api/auth). */
  logout: () => request<void>('/auth/logout', { method: 'POST', body: {} }),
  /** `token`: the limited token of a forced change; without it, the signed-in user's own change. */
  changePassword: (body: ChangePasswordRequest, token?: string) =>
    request<TokenPair | LimitedSignIn | { passwordChanged: true }>('/me/password', {
      method: 'POST',
      body,
      token,
    }),
  beginTotp: (token?: string) =>
    request<TotpEnrolment>('/me/mfa/totp', { method: 'POST', body: {}, token }),
  verifyTotp: (code: string, token?: string) =>
    request<{ recoveryCodes: string[] } & Partial<TokenPair>>('/me/mfa/totp/verify', {
      method: 'POST',
      body: { code },
      token,
    }),
  me: () => request<UserSummary>('/me'),

  facilities: () => items<Facility>('/facilities'),
  facility: (id: string) => request<FacilityDetail>(`/facilities/${id}`),
  createFacility: (body: CreateFacility) =>
    request<Facility>('/facilities', { method: 'POST', body }),
  updateFacility: (id: string, body: UpdateFacility) =>
    request<Facility>(`/facilities/${id}`, { method: 'PATCH', body }),
  addSupportLink: (body: CreateSupportLink) =>
    request<SupportLink>('/support-links', { method: 'POST', body }),

  users: (query: { role?: string; facilityId?: string; limit?: number } = {}) =>
    items<UserAccount>('/users', query),
  updateUser: (id: string, body: UpdateUser) =>
    request<UserAccount>(`/users/${id}`, { method: 'PATCH', body }),
  removeSupportLink: (id: string) => request<void>(`/support-links/${id}`, { method: 'DELETE' }),
  createUser: (body: CreateUser) => request<UserAccount>('/users', { method: 'POST', body }),

  patients: (q: string) => items<Patient>('/patients', { q }),
  patient: (id: string) => request<PatientDetail>(`/patients/${id}`),
  createPatient: (body: CreatePatient) =>
    request<PatientDetail>('/patients', {
      method: 'POST',
      body,
      idempotencyKey: newIdempotencyKey(),
    }),
  recordConsent: (id: string, body: RecordConsent) =>
    request<Consent>(`/patients/${id}/consents`, {
      method: 'POST',
      body,
      idempotencyKey: newIdempotencyKey(),
    }),

  consultations: (
    query: {
      status?: string;
      urgency?: string;
      role?: string;
      specialty?: string;
      limit?: number;
    } = {},
  ) => items<ConsultationView>('/consultations', { limit: 200, ...query }),
  consultation: (id: string) => request<ConsultationDetail>(`/consultations/${id}`),
  createConsultation: (body: CreateConsultation) =>
    request<ConsultationView>('/consultations', {
      method: 'POST',
      body,
      idempotencyKey: newIdempotencyKey(),
    }),
  transition: (id: string, action: ConsultationAction, reason?: string) =>
    request<ConsultationDetail>(`/consultations/${id}/${action}`, {
      method: 'POST',
      body: reason ? { reason } : {},
    }),
  attachments: (consultationId: string) =>
    items<Attachment>(`/consultations/${consultationId}/attachments`),

  /**
   * Slot suggestions. With `consultationId` the API applies that request's urgency horizon
   * (emergency 1 h, urgent 24 h, routine 3 days) and says which (`urgency`); when nothing fits inside
   * published availability it returns merely-unbooked times flagged `outsideAvailability`.
   */
  suggestions: (query: {
    userIds: string[];
    facilityIds: string[];
    durationMinutes: number;
    consultationId?: string;
    from?: string;
    limit?: number;
  }) => request<Suggestions>('/scheduling/suggestions', { query }),
  availability: (query: { userIds: string[]; facilityIds?: string[]; from: string; to: string }) =>
    items<AvailabilityBlock>('/scheduling/availability', query),

  sessions: (query: { from?: string; to?: string; userIds?: string[]; mine?: boolean } = {}) =>
    items<SessionListItem>('/sessions', query),
  session: (id: string) => request<SessionView>(`/sessions/${id}`),
  createSession: (body: CreateSession) =>
    request<BookedSession>('/sessions', {
      method: 'POST',
      body,
      idempotencyKey: newIdempotencyKey(),
    }),
  /** Coordinator: a tele-education session (no consultation, no patient). */
  createTrainingSession: (body: CreateTrainingSession) =>
    request<BookedSession>('/sessions/training', {
      method: 'POST',
      body,
      idempotencyKey: newIdempotencyKey(),
    }),
  rescheduleSession: (id: string, body: { startsAt: string; endsAt: string }) =>
    request<SessionView>(`/sessions/${id}`, { method: 'PATCH', body }),
  cancelSession: (id: string, reason: string) =>
    request<SessionView>(`/sessions/${id}/cancel`, { method: 'POST', body: { reason } }),
  joinSession: (id: string) =>
    request<JoinResponse>(`/sessions/${id}/join`, { method: 'POST', body: {} }),
  annotations: (sessionId: string, attachmentId: string) =>
    items<SavedAnnotation>(`/sessions/${sessionId}/annotations`, { attachmentId }),
  calendarUrl: () => request<CalendarFeed>('/me/calendar'),

  recordings: (sessionId: string) => items<Recording>(`/sessions/${sessionId}/recordings`),
  startRecording: (sessionId: string) =>
    request<Recording>(`/sessions/${sessionId}/recording/start`, { method: 'POST', body: {} }),
  stopRecording: (sessionId: string) =>
    request<Recording>(`/sessions/${sessionId}/recording/stop`, { method: 'POST', body: {} }),
  recording: (id: string) => request<Recording>(`/recordings/${id}`),
  recordingChat: (id: string) => items<RecordingChatItem>(`/recordings/${id}/chat`),
  /** One track's file for the player (a Blob: the element cannot send the bearer token). */
  recordingTrack: (id: string, index: number) => fetchBlob(`/recordings/${id}/tracks/${index}`),
  /** The raw session file (admins, with a reason that is audited), saved to disk. */
  downloadRecording: async (id: string, reason: string, fileName: string) => {
    const res = await request<Response>(`/recordings/${id}/download`, {
      method: 'POST',
      body: { reason },
      raw: true,
    });
    saveBlob(await res.blob(), fileName);
  },

  minutes: (consultationId: string) =>
    request<MinutesView | null>(`/consultations/${consultationId}/minutes`),
  saveMinutes: (consultationId: string, body: MinutesInput) =>
    request<MinutesView>(`/consultations/${consultationId}/minutes`, { method: 'PUT', body }),
  /** Signs the version (and revision) the chair read; 409 `minutes_version_changed` if it moved. */
  signMinutes: (consultationId: string, read: SignMinutes) =>
    request<MinutesView>(`/consultations/${consultationId}/minutes/sign`, {
      method: 'POST',
      body: read,
    }),

  /** Target coordinator: assign specialists (a written request starts with the first). */
  assign: (consultationId: string, body: AssignSpecialists) =>
    request<ConsultationDetail>(`/consultations/${consultationId}/assign`, {
      method: 'POST',
      body,
    }),

  icd10: (q: string, limit = 10) => items<Icd10Entry>('/icd10', { q, limit }),
  /** Imports (or updates) the ICD-10 catalogue from a CSV file's text (admins). */
  importIcd10: (csv: string) =>
    request<Icd10ImportResult>('/icd10/import', {
      method: 'POST',
      body: new Blob([csv], { type: 'text/csv' }),
    }),

  /** The on-call roster of a facility between two instants (its staff; coordinators edit). */
  onCall: (facilityId: string, query: { from: string; to: string; specialty?: string }) =>
    items<OnCallShift>(`/facilities/${facilityId}/on-call`, query),
  addOnCall: (facilityId: string, body: CreateOnCallShift) =>
    request<OnCallShift>(`/facilities/${facilityId}/on-call`, { method: 'POST', body }),
  removeOnCall: (facilityId: string, shiftId: string) =>
    request<void>(`/facilities/${facilityId}/on-call/${shiftId}`, { method: 'DELETE' }),
  /** Emergency requests ringing the signed-in specialist now. */
  emergencyCalls: () => items<EmergencyCall>('/emergency-calls'),
  /** First claimer wins: the answer names the session to enter at once. */
  claim: (consultationId: string) =>
    request<ClaimResult>(`/consultations/${consultationId}/claim`, { method: 'POST', body: {} }),

  audit: (query: {
    patientId?: string;
    actorId?: string;
    action?: string;
    from?: string;
    to?: string;
    limit?: number;
  }) => items<AuditEvent>('/audit', query),
};
