import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { COLLAB_SERVER_EVENTS, type UserNotification } from '@caunoi/shared';
import { collabSocket } from '../api/collab';
import { api } from '../api/endpoints';
import { useAuth } from './auth';
import { useRing } from './ring';
import { ErrorMessage } from './ui';

interface Ringing {
  consultationId: string;
  title: string;
}

/** Where an emergency session is entered: straight into the room, without the device check. */
export const roomNow = (sessionId: string) =>
  [`/sessions/${sessionId}`, { state: { autoJoin: true } }] as const;

/**
 * Emergency consults on every page. An on-call specialist who is rung hears a ring and sees a
 * banner with "claim"; claiming takes them into the room. The requester whose emergency request
 * was claimed is taken into the room by the live event. Calls already ringing when the page
 * opens are fetched once, so a reload or a late sign-in still shows them.
 */
export function EmergencyAlerts() {
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const navigate = useNavigate();
  const [calls, setCalls] = useState<Ringing[]>([]);
  const [claiming, setClaiming] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const specialist = hasRole('specialist');
  const rings = useRing(calls.length > 0);

  useEffect(() => {
    if (!specialist) return;
    api
      .emergencyCalls()
      .then((items) =>
        setCalls((prev) => [
          ...prev,
          ...items
            .filter((c) => !prev.some((p) => p.consultationId === c.consultationId))
            .map((c) => ({
              consultationId: c.consultationId,
              title: `${c.specialty} — ${c.requestingFacility.name}`,
            })),
        ]),
      )
      .catch(() => undefined);
  }, [specialist]);

  useEffect(() => {
    const socket = collabSocket();
    const on = (n: UserNotification) => {
      const id = n.consultationId;
      if (!id) return;
      if (n.kind === 'emergency.ring')
        setCalls((prev) =>
          prev.some((c) => c.consultationId === id)
            ? prev
            : [{ consultationId: id, title: n.title }, ...prev],
        );
      if (n.kind === 'emergency.claimed') {
        setCalls((prev) => prev.filter((c) => c.consultationId !== id));
        if (n.sessionId) navigate(...roomNow(n.sessionId));
      }
    };
    socket.on(COLLAB_SERVER_EVENTS.notification, on);
    return () => {
      socket.off(COLLAB_SERVER_EVENTS.notification, on);
    };
  }, [navigate]);

  const claim = async (id: string) => {
    setClaiming(id);
    setError(null);
    try {
      const res = await api.claim(id);
      setCalls((prev) => prev.filter((c) => c.consultationId !== id));
      navigate(...roomNow(res.sessionId));
    } catch (err) {
      setError(err);
      setCalls((prev) => prev.filter((c) => c.consultationId !== id));
    } finally {
      setClaiming(null);
    }
  };

  if (!calls.length && !error) return null;
  return (
    <section
      className="emergency-alerts"
      aria-label={t('emergency.alerts')}
      aria-live="assertive"
      data-rings={rings}
    >
      {calls.map((c) => (
        <div className="emergency-banner" role="alert" key={c.consultationId}>
          <p>
            <strong>{t('emergency.ringing')}</strong> {c.title}
          </p>
          <div className="row wrap">
            <button
              type="button"
              className="primary"
              disabled={claiming !== null}
              onClick={() => void claim(c.consultationId)}
            >
              {claiming === c.consultationId ? t('emergency.claiming') : t('emergency.claim')}
            </button>
            <Link to={`/consultations/${c.consultationId}`}>{t('emergency.read')}</Link>
          </div>
        </div>
      ))}
      <ErrorMessage error={error} lead={t('emergency.claimFailed')} />
      {error ? (
        <button type="button" onClick={() => setError(null)}>
          {t('emergency.dismiss')}
        </button>
      ) : null}
    </section>
  );
}
