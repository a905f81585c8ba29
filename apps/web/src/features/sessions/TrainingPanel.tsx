import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../api/client';
import type { ConferenceClient, ConferenceSnapshot } from '../../conference/ConferenceClient';
import { handRaised } from '../../conference/training';
import { useAuth } from '../../app/auth';
import { ErrorMessage } from '../../app/ui';
import { TrackVideo } from './VideoGrid';

/** The presenter large, and next to them the site holding the floor. */
export function TrainingStage({ snap }: { snap: ConferenceSnapshot }) {
  const { t } = useTranslation();
  const training = snap.training;
  const shown = [training?.presenterPeerId, training?.floorPeerId].flatMap((peerId) => {
    const peer = snap.peers.find((p) => p.id === peerId);
    const camera = peer?.tracks.find((tr) => tr.kind === 'video' && tr.source === 'camera');
    return peer && camera && !snap.audioOnly ? [{ peer, camera }] : [];
  });
  if (!shown.length) return null;
  return (
    <section className="training-stage" aria-label={t('training.stage')}>
      {shown.map(({ peer, camera }, i) => (
        <figure key={camera.consumerId} className={i === 0 ? 'stage-main' : 'stage-floor'}>
          <TrackVideo track={camera.track} label={peer.displayName} />
          <figcaption>
            {peer.displayName} · {peer.facility.name}
          </figcaption>
        </figure>
      ))}
    </section>
  );
}

/**
 * The floor of a training room: how many are in, raise hand (a site), the queue of raised hands
 * with grant and take back (presenter and moderators), and the attendance report (organisers).
 */
export function TrainingPanel({
  sessionId,
  organiserFacilityId,
  snap,
  client,
}: {
  sessionId: string;
  organiserFacilityId: string | null;
  snap: ConferenceSnapshot;
  client: ConferenceClient | null;
}) {
  const { t } = useTranslation();
  const { user, hasRole } = useAuth();
  // Coordinators of the organising site moderate (and export attendance); admins export too.
  const chair =
    hasRole('coordinator') && !!user?.facilityId && user.facilityId === organiserFacilityId;
  const canExport = chair || hasRole('admin');
  const [error, setError] = useState<unknown>(null);
  const training = snap.training;
  if (!training) return null;
  const self = snap.selfPeerId;
  const presenting = training.presenterPeerId === self;
  const mayHandOut = presenting || chair;
  const nameOf = (peerId: string | null) => {
    const p = snap.peers.find((x) => x.id === peerId);
    return p ? `${p.displayName} · ${p.facility.name}` : t('training.someone');
  };
  const act = (work: Promise<void> | undefined) =>
    void work?.then(() => setError(null)).catch(setError);
  const raised = handRaised(training, self);
  return (
    <section className="training-panel" aria-label={t('training.panel')}>
      <p role="status">
        {t('training.participants', { count: training.participants })}
        {training.floorPeerId
          ? ` · ${t('training.floorHeldBy', { name: training.floorPeerId === self ? t('training.you') : nameOf(training.floorPeerId) })}`
          : ''}
      </p>
      {!presenting && training.floorPeerId !== self ? (
        <button type="button" aria-pressed={raised} onClick={() => act(client?.raiseHand(!raised))}>
          {raised ? t('training.lowerHand') : t('training.raiseHand')}
        </button>
      ) : null}
      {training.floorPeerId === self ? (
        <button type="button" onClick={() => act(client?.setFloor(self!, false))}>
          {t('training.giveBack')}
        </button>
      ) : null}
      {mayHandOut ? (
        <>
          <h2 className="small">{t('training.hands', { count: training.hands.length })}</h2>
          <ol aria-label={t('training.handQueue')}>
            {training.hands.map((h) => (
              <li key={h.peerId} className="row wrap">
                <span>{nameOf(h.peerId)}</span>
                <button type="button" onClick={() => act(client?.setFloor(h.peerId, true))}>
                  {t('training.grant')}
                </button>
              </li>
            ))}
          </ol>
          {training.floorPeerId && training.floorPeerId !== self ? (
            <button
              type="button"
              className="danger"
              onClick={() => act(client?.setFloor(training.floorPeerId!, false))}
            >
              {t('training.revoke', { name: nameOf(training.floorPeerId) })}
            </button>
          ) : null}
        </>
      ) : null}
      {canExport ? (
        <button
          type="button"
          onClick={() =>
            act(
              download(
                `/sessions/${sessionId}/attendance.csv`,
                `diem-danh-${sessionId.slice(0, 8)}.csv`,
              ),
            )
          }
        >
          {t('training.attendanceCsv')}
        </button>
      ) : null}
      <ErrorMessage error={error} />
    </section>
  );
}
