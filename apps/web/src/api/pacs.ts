import type {
  DicomInboxSettings,
  DicomInboxStudy,
  InboxAttachResult,
  List,
  PutDicomInbox,
  PacsConfig,
  PacsImport,
  PacsSeries,
  PacsStudy,
  PacsStudyQuery,
  PacsTestResult,
  PutPacsConfig,
  StartPacsImport,
} from '@caunoi/shared';
import { request } from './client';

/** The facility PACS calls (settings, QIDO-RS search, imports into a request). */
export const pacsApi = {
  config: (facilityId: string) => request<PacsConfig>(`/facilities/${facilityId}/pacs`),
  saveConfig: (facilityId: string, body: PutPacsConfig) =>
    request<PacsConfig>(`/facilities/${facilityId}/pacs`, { method: 'PUT', body }),
  removeConfig: (facilityId: string) =>
    request<void>(`/facilities/${facilityId}/pacs`, { method: 'DELETE' }),
  test: (facilityId: string) =>
    request<PacsTestResult>(`/facilities/${facilityId}/pacs/test`, { method: 'POST', body: {} }),
  studies: async (facilityId: string, query: Partial<PacsStudyQuery>) =>
    (await request<List<PacsStudy>>(`/facilities/${facilityId}/pacs/studies`, { query })).items,
  series: async (facilityId: string, studyUid: string) =>
    (
      await request<List<PacsSeries>>(
        `/facilities/${facilityId}/pacs/studies/${encodeURIComponent(studyUid)}/series`,
      )
    ).items,
  startImport: (consultationId: string, body: StartPacsImport) =>
    request<PacsImport>(`/consultations/${consultationId}/pacs-imports`, { method: 'POST', body }),
  importStatus: (consultationId: string, importId: string) =>
    request<PacsImport>(`/consultations/${consultationId}/pacs-imports/${importId}`),

  inboxSettings: (facilityId: string) =>
    request<DicomInboxSettings>(`/facilities/${facilityId}/dicom-inbox`),
  saveInboxSettings: (facilityId: string, body: PutDicomInbox) =>
    request<DicomInboxSettings>(`/facilities/${facilityId}/dicom-inbox`, { method: 'PUT', body }),
  removeInboxSettings: (facilityId: string) =>
    request<void>(`/facilities/${facilityId}/dicom-inbox`, { method: 'DELETE' }),
  inboxStudies: async (facilityId: string, patientId?: string) =>
    (
      await request<List<DicomInboxStudy>>(`/facilities/${facilityId}/dicom-inbox/studies`, {
        query: { patientId: patientId || undefined },
      })
    ).items,
  attachInboxStudy: (consultationId: string, studyUid: string) =>
    request<InboxAttachResult>(`/consultations/${consultationId}/dicom-inbox-imports`, {
      method: 'POST',
      body: { studyUid },
    }),
};
