import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Recording } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { ApiRequestError } from '../../api/client';
import { ErrorMessage, useLoad } from '../../app/ui';

/** The patients a refused start names (`details.patients`), for a count in the message. */
function refusedPatients(err: unknown): number | null {
  if (!(err instanceof ApiRequestError) || err.status !== 409) return null;
  const patients = (err.details as { patients?: unknown[] } | undefined)?.patients;
  return Array.isArray(patients) ? patients.length : null;
}

/** "Recording" badge, shown to everyone in the room and before entering it. */
export function RecordingBadge({ on }: { on: boolean }) {
  const { t } = useTranslation();
  if (!on) return null;
  return (
    <span role="status" className="recording-badge" data-testid="recording-badge">
      ● {t('recording.on')}
    </span>
  );
}

/**
 * Start and stop of the session's recording (the API lets only the chair or an organiser do it
 * and answers why not), and the session's earlier recordings, each a link to its playback.
 */
export function RecordingControls({ sessionId, live }: { sessionId: string; live: boolean }) {
  const { t } = useTranslation();
  const list = useLoad(() => api.recordings(sessionId), [sessionId, live]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = async (action: () => Promise<Recording>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const refused = refusedPatients(error);
  const finished = (list.data ?? []).filter((r) => r.status === 'finished');
  return (
    <div className="recording-controls">
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void act(() => (live ? api.stopRecording(sessionId) : api.startRecording(sessionId)))
        }
      >
        {live ? t('recording.stop') : t('recording.start')}
      </button>
      {refused !== null ? (
        <p role="alert" className="error">
          {t('recording.consentMissing', { count: refused })}
        </p>
      ) : (
        <ErrorMessage error={error} />
      )}
      {finished.length ? (
        <ul aria-label={t('recording.list')}>
          {finished.map((r) => (
            <li key={r.id}>
              <Link to={`/recordings/${r.id}`}>
                {t('recording.item', {
                  at: new Date(r.startedAt).toLocaleString(),
                  minutes: Math.max(1, Math.round((r.durationSeconds ?? 0) / 60)),
                })}
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
