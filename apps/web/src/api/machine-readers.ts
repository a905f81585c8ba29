import type { MachineReader, MachineReaderSettings } from '@caunoi/shared';
import { request } from './client';

/** A facility's external machine reader (admin only; the token is never answered back). */
export const machineReadersApi = {
  get: (facilityId: string) => request<MachineReader>(`/facilities/${facilityId}/machine-reader`),
  save: (facilityId: string, body: Partial<MachineReaderSettings> & { url: string }) =>
    request<MachineReader>(`/facilities/${facilityId}/machine-reader`, { method: 'PUT', body }),
  remove: (facilityId: string) =>
    request<void>(`/facilities/${facilityId}/machine-reader`, { method: 'DELETE' }),
};
