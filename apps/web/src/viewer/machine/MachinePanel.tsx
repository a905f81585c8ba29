import type { MachineFindingDecision, MachineReading } from '@caunoi/shared';
import { useTranslation } from 'react-i18next';
import { findingLabel } from './MachineOverlay';

/**
 * The overlay switch and, when on, what the machine said: always under the banner "machine
 * suggestion — a clinician must confirm", each finding with Confirm / Reject for the clinicians
 * (their decision is stored, audited and shown to everyone with their name).
 */
export function MachinePanel({
  on,
  onToggle,
  readings,
  error,
  canReview,
  onReview,
}: {
  on: boolean;
  onToggle: (on: boolean) => void;
  readings: MachineReading[] | null;
  error: string | null;
  canReview: boolean;
  onReview: (findingId: string, decision: MachineFindingDecision) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="machine-panel">
      <label className="inline-label">
        <input type="checkbox" checked={on} onChange={(e) => onToggle(e.target.checked)} />
        {t('viewer.machine.toggle')}
      </label>
      {on ? (
        <div className="machine-readings" role="region" aria-label={t('viewer.machine.findings')}>
          <p className="machine-banner" role="note">
            <strong>{t('viewer.machine.banner')}</strong>
          </p>
          {error ? (
            <p role="alert" className="error">
              {error}
            </p>
          ) : null}
          {readings && readings.length === 0 ? (
            <p className="muted">{t('viewer.machine.none')}</p>
          ) : null}
          {(readings ?? []).map((r) => (
            <div key={r.id} className="machine-reading" data-status={r.status}>
              <p className="muted">
                {t('viewer.machine.reader', { facility: r.reader.name })}
                {r.conclusion ? ` — ${r.conclusion}` : ''}
              </p>
              {r.status === 'pending' ? <p role="status">{t('viewer.machine.pending')}</p> : null}
              {r.status === 'failed' ? (
                <p className="error">
                  {t('viewer.machine.failed', { reason: r.failureReason ?? '' })}
                </p>
              ) : null}
              <ul className="machine-findings">
                {r.findings.map((f) => (
                  <li key={f.id} data-finding={f.id}>
                    <span>{findingLabel(f, t)}</span>{' '}
                    {f.review ? (
                      <em className="machine-review">
                        {t(`viewer.machine.${f.review.decision}`, { name: f.review.by.fullName })}
                      </em>
                    ) : null}
                    {canReview ? (
                      <span className="row">
                        <button
                          type="button"
                          aria-pressed={f.review?.decision === 'confirmed'}
                          onClick={() => onReview(f.id, 'confirmed')}
                        >
                          {t('viewer.machine.confirm')}
                        </button>
                        <button
                          type="button"
                          aria-pressed={f.review?.decision === 'rejected'}
                          onClick={() => onReview(f.id, 'rejected')}
                        >
                          {t('viewer.machine.reject')}
                        </button>
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
