import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api/endpoints';
import type { Attachment, SessionView } from '@caunoi/shared';
import { useAuth } from '../../app/auth';
import { ErrorMessage, Loading, Page, useLoad } from '../../app/ui';
import { useConference } from '../../conference/useConference';
import { connectAhead } from '../../conference/ConferenceClient';
import { stopStream } from '../../conference/devices';
import { markJoinStep } from '../../conference/marks';
import { formatDateTime, formatTime } from '../../i18n/format';
import { SharedViewer } from '../../viewer/SharedViewer';
import { ChatPanel } from './ChatPanel';
import { MinutesEditor } from '../../shared/MinutesEditor';
import { PreJoin } from './PreJoin';
import { useSessionCollab } from '../../collab/useSessionCollab';
import { LinkNotice } from './LinkNotice';
import { RecordingBadge, RecordingControls } from './RecordingControls';
import { TrackVideo, VideoGrid } from './VideoGrid';
import { TrainingPanel, TrainingStage } from './TrainingPanel';

type SideTab = 'chat' | 'participants' | 'minutes';

export default function SessionRoomPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { user, hasRole } = useAuth();
  const navigate = useNavigate();
  // An emergency claim leads here with autoJoin: in as soon as the camera opens, no device check.
  const autoJoin = (useLocation().state as { autoJoin?: boolean } | null)?.autoJoin === true;
  const session = useLoad(() => api.session(id), [id]);
  const [media, setMedia] = useState<{ stream: MediaStream; audioOnly: boolean } | null>(null);
  const [site, setSite] = useState('');
  const consultationIds = useMemo(() => session.data?.consultationIds ?? [], [session.data]);
  const attachments = useLoad(async () => {
    const lists = await Promise.all(
      consultationIds.map((cid) => api.attachments(cid).catch(() => [] as Attachment[])),
    );
    return lists.flat();
  }, [consultationIds.join(',')]);
  // The page load's share of a slow join: the room's code running, then the session's answer.
  useEffect(() => markJoinStep('room-shown'), []);
  // The SFU's WebSocket opens during the device check instead of after the click.
  useEffect(() => connectAhead(), []);
  useEffect(() => {
    if (session.data) markJoinStep('session-loaded');
  }, [session.data]);
  const [tab, setTab] = useState<SideTab>('chat');
  const [minutesFor, setMinutesFor] = useState('');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (user?.facilityId)
      api
        .facility(user.facilityId)
        .then((f) => setSite(f.name))
        .catch(() => undefined);
  }, [user?.facilityId]);

  const params = useMemo(
    () =>
      media && user
        ? {
            getJoin: () => api.joinSession(id),
            displayName: user.fullName,
            stream: media.stream,
            audioOnly: media.audioOnly,
          }
        : null,
    [media, user, id],
  );
  const { client, snap } = useConference(params);
  const collab = useSessionCollab(id, !!media);
  // Before entering: whether the room is being recorded (the SFU tells again on joining).
  const recordings = useLoad(() => api.recordings(id), [id]);

  useEffect(() => () => stopStream(media?.stream), [media]);

  const participants: SessionView['participants'] = session.data?.participants ?? [];
  const nameOf = (userId: string | null) =>
    userId
      ? (participants.find((p) => p.id === userId)?.fullName ??
        collab.presence.find((p) => p.userId === userId)?.fullName ??
        null)
      : null;
  const training = session.data?.kind === 'training';
  const canWriteMinutes = !training && hasRole('specialist', 'coordinator');
  const title = session.data?.title ?? t('room.title');

  if (!session.data)
    return (
      <Page title={t('room.title')}>
        {session.error ? <ErrorMessage error={session.error} /> : <Loading />}
      </Page>
    );

  const when = `${formatDateTime(session.data.startsAt, i18n.language)} – ${formatTime(session.data.endsAt, i18n.language)}`;

  if (!media) {
    // The API opens the room 15 minutes before the start and closes it 30 minutes after the end.
    const opensAt = Date.parse(session.data.startsAt) - 15 * 60_000;
    const closedAt = Date.parse(session.data.endsAt) + 30 * 60_000;
    const notice =
      session.data.status === 'cancelled'
        ? t('room.cancelled')
        : now < opensAt
          ? t('room.opensAt', { when: formatDateTime(new Date(opensAt), i18n.language) })
          : now > closedAt
            ? t('room.closed')
            : null;
    return (
      <Page title={title}>
        <p>{when}</p>
        <RecordingBadge on={!!recordings.data?.some((r) => r.status === 'recording')} />
        {notice ? (
          <p role="status" className="notice">
            {notice}
          </p>
        ) : null}
        <PreJoin
          title={title}
          disabled={!!notice}
          autoJoin={autoJoin}
          onJoin={(stream, audioOnly) => setMedia({ stream, audioOnly })}
        />
      </Page>
    );
  }

  const reconnecting =
    snap.state === 'reconnecting' || snap.state === 'connecting' || collab.state === 'reconnecting';

  return (
    <section className="room" aria-labelledby="page-title">
      <header className="room-header row">
        <h1 id="page-title">{title}</h1>
        <span className="muted">{when}</span>
        <span
          className={`conn conn-${snap.state}`}
          role="status"
          aria-label={t('room.connectionState')}
        >
          {t(`room.state.${snap.state}`)}
        </span>
        <RecordingBadge on={snap.recording} />
      </header>
      {reconnecting ? (
        <div className="banner" role="status" aria-live="assertive">
          {snap.state === 'connecting' ? t('room.connecting') : t('room.reconnecting')}
        </div>
      ) : null}
      <LinkNotice snap={snap} onAudioOnly={() => void client?.setAudioOnly(true)} />
      {collab.unavailable ? (
        <div className="banner" role="status" aria-live="polite">
          {t('room.collabUnavailable')}
          {collab.pending.length
            ? ` ${t('room.pendingCount', { count: collab.pending.length })}`
            : ''}
        </div>
      ) : (
        <ErrorMessage error={collab.error} lead={t('room.collabFailed')} />
      )}
      {snap.state === 'failed' ? (
        <ErrorMessage error={snap.failure ?? new Error(snap.error ?? '')} lead={t('room.failed')} />
      ) : null}
      <div className="room-body">
        <div className="room-main">
          {training ? <TrainingStage snap={snap} /> : null}
          {snap.peers.flatMap((p) =>
            p.tracks
              .filter((tr) => tr.kind === 'video' && tr.source === 'screen' && !snap.audioOnly)
              .map((tr) => (
                <section
                  key={tr.consumerId}
                  className="screen-share"
                  aria-label={t('room.screenOf', { name: p.displayName })}
                >
                  <TrackVideo
                    track={tr.track}
                    label={t('room.screenOf', { name: p.displayName })}
                  />
                </section>
              )),
          )}
          <SharedViewer
            sessionId={id}
            attachments={attachments.data ?? []}
            view={collab.view}
            presenterId={collab.presenterId}
            presenterName={nameOf(collab.presenterId)}
            selfId={user?.id ?? ''}
            onPublish={collab.publishView}
            onLocal={collab.setLocalView}
            onPresent={(on) => {
              void collab.setPresenter(on ? (user?.id ?? null) : null).then(() => {
                if (on && collab.view) collab.publishView(collab.view);
              });
            }}
          />
        </div>
        <aside className="room-side">
          <VideoGrid
            peers={
              training
                ? snap.peers.filter((p) => p.tracks.some((x) => x.kind === 'video'))
                : snap.peers
            }
            activeSpeakerId={snap.activeSpeakerId}
            selfName={user?.fullName ?? ''}
            selfSite={site}
            localStream={snap.localStream}
            cameraOn={snap.cameraOn}
            micOn={snap.micOn}
            audioOnly={snap.audioOnly}
          />
          {training ? (
            <TrainingPanel
              sessionId={id}
              organiserFacilityId={session.data.organiserFacilityId}
              snap={snap}
              client={client}
            />
          ) : null}
          <div className="controls row wrap" role="toolbar" aria-label={t('room.controls')}>
            <button type="button" onClick={() => void client?.setMic(!snap.micOn)}>
              {snap.micOn ? t('room.mute') : t('room.unmute')}
            </button>
            <button
              type="button"
              disabled={snap.audioOnly}
              onClick={() => void client?.setCamera(!snap.cameraOn)}
            >
              {snap.cameraOn ? t('room.cameraOff') : t('room.cameraOn')}
            </button>
            <button
              type="button"
              onClick={() =>
                void (snap.sharing
                  ? client?.stopScreenShare()
                  : client?.startScreenShare().catch(() => undefined))
              }
            >
              {snap.sharing ? t('room.stopShare') : t('room.share')}
            </button>
            <button
              type="button"
              aria-pressed={snap.audioOnly}
              onClick={() => void client?.setAudioOnly(!snap.audioOnly)}
            >
              {t('room.audioOnly')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                client?.close();
                navigate('/my-sessions');
              }}
            >
              {t('room.leave')}
            </button>
          </div>
          <RecordingControls sessionId={id} live={snap.recording} />
          <div role="tablist" aria-label={t('room.panels')} className="tabs">
            {(['chat', 'participants', ...(canWriteMinutes ? ['minutes'] : [])] as SideTab[]).map(
              (k) => (
                <button
                  key={k}
                  type="button"
                  role="tab"
                  aria-selected={tab === k}
                  aria-controls={`panel-${k}`}
                  id={`tab-${k}`}
                  onClick={() => setTab(k)}
                >
                  {t(`room.tab.${k}`)}
                </button>
              ),
            )}
          </div>
          <div
            role="tabpanel"
            id={`panel-${tab}`}
            aria-labelledby={`tab-${tab}`}
            className="side-panel"
          >
            {tab === 'chat' ? (
              <ChatPanel
                messages={collab.messages}
                pending={collab.pending}
                selfId={user?.id ?? ''}
                onSend={(m) => void collab.sendChat(m)}
              />
            ) : null}
            {tab === 'participants' ? (
              <ul aria-label={t('room.tab.participants')}>
                {(collab.presence.length
                  ? collab.presence
                  : participants.map((p) => ({
                      userId: p.id,
                      fullName: p.fullName,
                      facilityName: '',
                      online: false,
                      facilityId: null,
                    }))
                ).map((p) => (
                  <li key={p.userId}>
                    <span className={p.online ? 'dot online' : 'dot'} aria-hidden="true" />{' '}
                    {p.fullName} {p.facilityName ? `· ${p.facilityName}` : ''}{' '}
                    <span className="muted small">
                      {p.online ? t('room.online') : t('room.offline')}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
            {tab === 'minutes' && canWriteMinutes ? (
              <>
                {consultationIds.length > 1 ? (
                  <label>
                    {t('minutes.forCase')}
                    <select
                      value={minutesFor || consultationIds[0]}
                      onChange={(e) => setMinutesFor(e.target.value)}
                    >
                      {consultationIds.map((cid, i) => (
                        <option key={cid} value={cid}>
                          {session.data?.consultations.find((c) => c.id === cid)?.patient
                            .fullName ?? t('minutes.caseN', { n: i + 1 })}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
                {consultationIds.length ? (
                  <MinutesEditor
                    consultationId={minutesFor || consultationIds[0]}
                    participants={
                      participants.length
                        ? participants
                        : [{ id: user!.id, fullName: user!.fullName }]
                    }
                    selfId={user?.id ?? ''}
                  />
                ) : null}
              </>
            ) : null}
          </div>
        </aside>
      </div>
    </section>
  );
}
