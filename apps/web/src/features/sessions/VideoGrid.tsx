import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { RemotePeer } from '../../conference/ConferenceClient';
import type { Quality } from '../../conference/quality';
import { MicOffIcon } from '../../app/icons';

export function TrackVideo({
  track,
  label,
  muted,
  mirror,
}: {
  track: MediaStreamTrack | MediaStream;
  label: string;
  muted?: boolean;
  mirror?: boolean;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = track instanceof MediaStream ? track : new MediaStream([track]);
    el.play().catch(() => undefined);
  }, [track]);
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted={muted ?? true}
      aria-label={label}
      className={mirror ? 'mirror' : undefined}
    />
  );
}

function TrackAudio({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    el.play().catch(() => undefined);
  }, [track]);
  return <audio ref={ref} autoPlay />;
}

function QualityBadge({ quality }: { quality: Quality }) {
  const { t } = useTranslation();
  const bars = { good: '▂▄▆', fair: '▂▄', poor: '▂', unknown: '·' }[quality];
  return (
    <span
      className={`quality q-${quality}`}
      role="img"
      aria-label={t('room.qualityLabel', { quality: t(`room.quality.${quality}`) })}
    >
      {bars}
    </span>
  );
}

/** Everyone in the room: one tile per site with name, site, speaking highlight and link quality. */
export function VideoGrid({
  peers,
  activeSpeakerId,
  selfName,
  selfSite,
  localStream,
  cameraOn,
  micOn,
  audioOnly,
}: {
  peers: RemotePeer[];
  activeSpeakerId: string | null;
  selfName: string;
  selfSite: string;
  localStream: MediaStream | null;
  cameraOn: boolean;
  micOn: boolean;
  audioOnly: boolean;
}) {
  const { t } = useTranslation();
  return (
    <ul className="video-grid" aria-label={t('room.participantsVideo')}>
      <li
        className="tile self"
        aria-label={t('room.tileLabel', { name: selfName, site: selfSite })}
      >
        {localStream && cameraOn && !audioOnly && localStream.getVideoTracks().length ? (
          <TrackVideo track={localStream} label={t('room.selfVideo')} mirror />
        ) : (
          <div className="video-off" aria-hidden="true">
            {selfName.slice(0, 1)}
          </div>
        )}
        <div className="tile-caption">
          <span className="tile-name">
            {selfName} ({t('room.you')})
          </span>
          <span className="tile-site">{selfSite}</span>
          {!micOn ? (
            <span role="img" aria-label={t('room.micOffLabel')}>
              <MicOffIcon />
            </span>
          ) : null}
        </div>
      </li>
      {peers.map((p) => {
        const camera = p.tracks.find(
          (tr) => tr.kind === 'video' && tr.source === 'camera' && !tr.paused,
        );
        const held = p.tracks.some(
          (tr) => tr.kind === 'video' && tr.source === 'camera' && tr.heldForLink,
        );
        const audios = p.tracks.filter((tr) => tr.kind === 'audio');
        const speaking = activeSpeakerId === p.id;
        const name = p.displayName || t('room.unknownPeer');
        const site = p.facility?.name ?? '';
        return (
          <li
            key={p.id}
            className={`tile${speaking ? ' speaking' : ''}`}
            aria-label={t('room.tileLabel', { name, site })}
            aria-current={speaking ? 'true' : undefined}
            data-peer-id={p.id}
          >
            {camera && !audioOnly ? (
              <TrackVideo track={camera.track} label={t('room.videoOf', { name })} />
            ) : held && !audioOnly ? (
              <div className="video-off held" role="img" aria-label={t('room.videoHeld', { name })}>
                <span aria-hidden="true">{name.slice(0, 1)}</span>
                <small>{t('room.videoHeldShort')}</small>
              </div>
            ) : (
              <div className="video-off" aria-hidden="true">
                {name.slice(0, 1)}
              </div>
            )}
            {audios.map((a) => (
              <TrackAudio key={a.consumerId} track={a.track} />
            ))}
            <div className="tile-caption">
              <span className="tile-name">{name}</span>
              <span className="tile-site">{site}</span>
              {speaking ? <span className="speaking-flag">{t('room.speaking')}</span> : null}
              {audios.every((a) => a.paused) ? (
                <span role="img" aria-label={t('room.micOffLabel')}>
                  <MicOffIcon />
                </span>
              ) : null}
              {p.weakLink ? <span className="weak-link">{t('room.weakLink')}</span> : null}
              <QualityBadge quality={p.quality} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
