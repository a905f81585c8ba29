import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { SessionListItem } from '@caunoi/shared';
import { Page } from '../../app/ui';
import { ReasonDialog } from '../../shared/ReasonDialog';
import { SetupPanel } from './SetupPanel';
import { useScheduling } from './useScheduling';
import { WeekCalendar } from './WeekCalendar';
import { WeekSessionsTable } from './WeekSessionsTable';

/**
 * Coordinator's scheduling screen: pick specialists and sites, see their week (availability and
 * bookings) on a calendar, ask for slot suggestions, see clashes before booking, then book.
 */
export default function SchedulingPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const s = useScheduling(params.get('consultationId') ?? '');
  const [cancelling, setCancelling] = useState<SessionListItem | null>(null);
  return (
    <Page title={t('scheduling.title')}>
      <div className="scheduling">
        <SetupPanel s={s} />
        <WeekCalendar s={s} />
      </div>
      <WeekSessionsTable s={s} onCancel={setCancelling} />
      {cancelling ? (
        <ReasonDialog
          title={t('scheduling.cancelTitle')}
          onCancel={() => setCancelling(null)}
          onConfirm={(r) => void s.cancelSession(cancelling, r).finally(() => setCancelling(null))}
        />
      ) : null}
    </Page>
  );
}
