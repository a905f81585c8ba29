import type {
  CreateConsultation,
  CreatePatient,
  CreateSession,
  JoinResponse,
  MinutesInput,
  RecordConsent,
  TokenPair,
  UserSummary,
  ChatMessage,
  Urgency,
  UpdateFacility,
  UpdateUser,
} from '@caunoi/shared';
import { asList, request } from './client';
import type {
  Attachment,
  AuditEvent,
  AvailabilityBlock,
  Consultation,
  Facility,
  Minutes,
  Patient,
  SessionSummary,
  Slot,
  SupportLink,
  UserRecord,
} from './types';

/** One function per REST call the client makes (SPEC "REST contract" and additions). */
export const api = {
  login: (email: string, password: string) =>
    request<TokenPair>('/auth/login', {
      method: 'POST',
      body: { email, password },
      anonymous: true,
    }),
  logout: (refreshToken: string) =>
    request<void>('/auth/logout', { method: 'POST', body: { refreshToken } }),
  me: () => request<UserSummary>('/me'),

  facilities: async () => asList<Facility>(await request('/facilities')),
  facility: (id: string) => request<Facility>(`/facilities/${id}`),
  createFacility: (body: Omit<Facility, 'id'>) =>
    request<Facility>('/facilities', { method: 'POST', body }),
  updateFacility: (id: string, body: UpdateFacility) =>
    request<Facility>(`/facilities/${id}`, { method: 'PATCH', body }),
  addSupportLink: (body: { supporterId: string; supportedId: string; kind: string }) =>
    request<SupportLink>('/support-links', { method: 'POST', body }),

  users: async (query: { role?: string; facilityId?: string; limit?: number } = {}) =>
    asList<UserRecord>(await request('/users', { query })),
  updateUser: (id: string, body: UpdateUser) =>
    request<UserRecord>(`/users/${id}`, { method: 'PATCH', body }),
  removeSupportLink: (id: string) => request<void>(`/support-links/${id}`, { method: 'DELETE' }),
  createUser: (body: Partial<UserRecord> & { password: string }) =>
    request<UserRecord>('/users', { method: 'POST', body }),

  patients: async (q: string) => asList<Patient>(await request('/patients', { query: { q } })),
  patient: (id: string) => request<Patient>(`/patients/${id}`),
  createPatient: (body: CreatePatient) => request<Patient>('/patients', { method: 'POST', body }),
  recordConsent: (id: string, body: RecordConsent) =>
    request<unknown>(`/patients/${id}/consents`, { method: 'POST', body }),

  consultations: async (
    query: {
      status?: string;
      urgency?: string;
      role?: string;
      specialty?: string;
      limit?: number;
    } = {},
  ) => asList<Consultation>(await request('/consultations', { query: { limit: 200, ...query } })),
  consultation: (id: string) => request<Consultation>(`/consultations/${id}`),
  createConsultation: (body: CreateConsultation) =>
    request<Consultation>('/consultations', { method: 'POST', body }),
  transition: (id: string, action: 'submit' | 'accept' | 'decline' | 'cancel', reason?: string) =>
    request<Consultation>(`/consultations/${id}/${action}`, {
      method: 'POST',
      body: reason ? { reason } : {},
    }),
  attachments: async (consultationId: string) =>
    asList<Attachment>(await request(`/consultations/${consultationId}/attachments`)),

  /**
   * Slot suggestions. With `consultationId` the API applies that request's urgency horizon
   * (emergency 1 h, urgent 24 h, routine 3 days) and says which (`urgency`); when nothing fits inside
   * published availability it returns merely-unbooked times flagged `outsideAvailability`.
   */
  suggestions: async (query: {
    userIds: string[];
    facilityIds: string[];
    durationMinutes: number;
    consultationId?: string;
    from?: string;
    limit?: number;
  }) => {
    const res = await request<{ items?: Slot[]; urgency?: Urgency } | Slot[]>(
      '/scheduling/suggestions',
      { query },
    );
    return { items: asList<Slot>(res), urgency: Array.isArray(res) ? undefined : res?.urgency };
  },
  availability: async (query: {
    userIds: string[];
    facilityIds?: string[];
    from: string;
    to: string;
  }) => asList<AvailabilityBlock>(await request('/scheduling/availability', { query })),

  sessions: async (
    query: { from?: string; to?: string; userIds?: string[]; mine?: boolean } = {},
  ) => asList<SessionSummary>(await request('/sessions', { query })),
  session: (id: string) => request<SessionSummary>(`/sessions/${id}`),
  createSession: (body: CreateSession) =>
    request<SessionSummary>('/sessions', { method: 'POST', body }),
  rescheduleSession: (id: string, body: { startsAt: string; endsAt: string }) =>
    request<SessionSummary>(`/sessions/${id}`, { method: 'PATCH', body }),
  cancelSession: (id: string, reason: string) =>
    request<SessionSummary>(`/sessions/${id}/cancel`, { method: 'POST', body: { reason } }),
  joinSession: (id: string) =>
    request<JoinResponse>(`/sessions/${id}/join`, { method: 'POST', body: {} }),
  messages: async (id: string) => asList<ChatMessage>(await request(`/sessions/${id}/messages`)),
  annotations: async (sessionId: string, attachmentId: string) =>
    asList<unknown>(
      await request(`/sessions/${sessionId}/annotations`, { query: { attachmentId } }),
    ),
  calendarUrl: () => request<{ url: string }>('/me/calendar'),

  minutes: (consultationId: string) =>
    request<Minutes | null>(`/consultations/${consultationId}/minutes`),
  saveMinutes: (consultationId: string, body: MinutesInput) =>
    request<Minutes>(`/consultations/${consultationId}/minutes`, { method: 'PUT', body }),
  signMinutes: (consultationId: string) =>
    request<Minutes>(`/consultations/${consultationId}/minutes/sign`, { method: 'POST', body: {} }),

  audit: async (query: {
    patientId?: string;
    actorId?: string;
    action?: string;
    from?: string;
    to?: string;
    limit?: number;
  }) => asList<AuditEvent>(await request('/audit', { query })),
};
