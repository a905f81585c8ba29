import type { List, MachineFindingDecision, MachineReading } from '@caunoi/shared';
import { request } from '../../api/client';

/** Machine pre-reads of an image (participants only; the API audits every read). */
export const machineApi = {
  readings: async (attachmentId: string) =>
    (await request<List<MachineReading>>(`/attachments/${attachmentId}/machine-readings`)).items,
  review: async (findingId: string, decision: MachineFindingDecision) =>
    (
      await request<List<MachineReading>>(`/machine-findings/${findingId}/review`, {
        method: 'PUT',
        body: { decision },
      })
    ).items,
};
