import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isFinalStatus, type ConsultationDetail } from '@caunoi/shared';
import { pacsApi } from '../../api/pacs';
import { useAuth } from '../../app/auth';
import { useLoad } from '../../app/ui';
import { PacsImportDialog } from './PacsImportDialog';

/**
 * "Import from PACS" on a request: for its requesting side, while files may still be added,
 * when their facility has a PACS or a DICOM inbox (their settings answer 404 otherwise).
 */
export function PacsImportButton({
  consultation,
  onImported,
}: {
  consultation: ConsultationDetail;
  onImported: () => void;
}) {
  const { t } = useTranslation();
  const { user, hasRole } = useAuth();
  const [open, setOpen] = useState(false);
  const facilityId = consultation.requestingFacilityId;
  const mine =
    hasRole('requester') && user?.facilityId === facilityId && !isFinalStatus(consultation.status);
  // What the facility has: a PACS to search, a DICOM inbox, both or neither (no button).
  const sources = useLoad(async () => {
    if (!mine) return { pacs: false, inbox: false };
    const has = (p: Promise<unknown>) =>
      p.then(
        () => true,
        () => false,
      );
    const [pacs, inbox] = await Promise.all([
      has(pacsApi.config(facilityId)),
      has(pacsApi.inboxSettings(facilityId)),
    ]);
    return { pacs, inbox };
  }, [facilityId, mine]);
  if (!sources.data || !(sources.data.pacs || sources.data.inbox)) return null;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {t('pacs.import')}
      </button>
      {open ? (
        <PacsImportDialog
          consultationId={consultation.id}
          facilityId={facilityId}
          patientName={consultation.patient?.fullName ?? null}
          sources={sources.data}
          onClose={() => setOpen(false)}
          onImported={onImported}
        />
      ) : null}
    </>
  );
}
