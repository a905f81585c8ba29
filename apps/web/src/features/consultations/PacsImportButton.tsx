import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isFinalStatus, type ConsultationDetail } from '@caunoi/shared';
import { pacsApi } from '../../api/pacs';
import { useAuth } from '../../app/auth';
import { useLoad } from '../../app/ui';
import { PacsImportDialog } from './PacsImportDialog';

/**
 * "Import from PACS" on a request: for its requesting side, while files may still be added,
 * when their facility has a PACS configured (the settings answer 404 otherwise).
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
  const pacs = useLoad(
    () =>
      mine
        ? pacsApi.config(facilityId).then(
            () => true,
            () => false,
          )
        : Promise.resolve(false),
    [facilityId, mine],
  );
  if (!pacs.data) return null;
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
          onClose={() => setOpen(false)}
          onImported={onImported}
        />
      ) : null}
    </>
  );
}
