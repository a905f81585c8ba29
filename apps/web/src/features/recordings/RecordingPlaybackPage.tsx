import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { RecordingTrack } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { useAuth } from '../../app/auth';
import { ErrorMessage, Loading, Page, useLoad } from '../../app/ui';
import { clockLabel, needsSeek, PlaybackClock, trackTime } from './playback-sync';

/** How often the elements are checked against the clock (and the position shown). */
const TICK_MS = 250;

/**
 * A recording played back: every track (cameras, screens, microphones) in a grid, all driven by
 * one clock so they stay in sync, a seek bar, and the session's chat shown up to the position.
 */
export default function RecordingPlaybackPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const rec = useLoad(() => api.recording(id), [id]);
  const chat = useLoad(() => api.recordingChat(id), [id]);
  const tracks = useMemo(() => rec.data?.tracks ?? [], [rec.data]);
  const urls = useLoad(async () => {
    const list = await Promise.all(tracks.map((tr) => api.recordingTrack(id, tr.index)));
    return list.map((blob) => URL.createObjectURL(blob));
  }, [id, tracks.length]);
  useEffect(() => () => urls.data?.forEach((u) => URL.revokeObjectURL(u)), [urls.data]);

  const duration = rec.data?.durationSeconds ?? 0;
  const clock = useMemo(() => new PlaybackClock(duration), [duration]);
  const elements = useRef(new Map<number, HTMLMediaElement>());
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(false);

  /** Every element where the clock says it should be: playing, paused, or hidden. */
  const align = (force: boolean) => {
    const t = clock.position();
    for (const tr of tracks) {
      const el = elements.current.get(tr.index);
      if (!el) continue;
      const target = trackTime(tr, t);
      if (target === null) {
        if (!el.paused) el.pause();
        continue;
      }
      if (force || needsSeek(el.currentTime, target)) el.currentTime = target;
      if (clock.playing && el.paused) void el.play().catch(() => undefined);
      if (!clock.playing && !el.paused) el.pause();
    }
    setPosition(t);
    if (clock.playing && t >= duration) {
      clock.pause();
      setPlaying(false);
    }
  };
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => align(false), TICK_MS);
    return () => clearInterval(timer);
  }, [playing, tracks]);

  const toggle = () => {
    if (clock.playing) clock.pause();
    else {
      if (clock.position() >= duration) clock.seek(0);
      clock.play();
    }
    setPlaying(clock.playing);
    align(true);
  };
  const seek = (to: number) => {
    clock.seek(to);
    align(true);
  };

  if (!rec.data)
    return (
      <Page title={t('recording.title')}>
        {rec.error ? <ErrorMessage error={rec.error} /> : <Loading />}
      </Page>
    );
  const r = rec.data;
  const label = (tr: RecordingTrack) =>
    t('recording.trackLabel', {
      name: tr.displayName,
      site: tr.site,
      source: t(`recording.source.${tr.source}`, { defaultValue: tr.source }),
    });
  const shown = (chat.data ?? []).filter((m) => m.offset <= position);
  return (
    <Page title={t('recording.title')}>
      <p>
        {t('recording.summary', {
          at: new Date(r.startedAt).toLocaleString(),
          duration: clockLabel(duration),
          by: r.startedBy.fullName,
        })}
      </p>
      {r.consentWithdrawn ? (
        <p role="status" className="notice">
          {t('recording.consentWithdrawn')}
        </p>
      ) : null}
      {r.status !== 'finished' ? <p role="status">{t(`recording.status.${r.status}`)}</p> : null}
      {urls.error ? <ErrorMessage error={urls.error} /> : null}
      {r.status === 'finished' && !urls.data && !urls.error ? <Loading /> : null}
      <div className="playback-grid" data-testid="playback-grid">
        {urls.data
          ? tracks.map((tr, i) =>
              tr.kind === 'video' ? (
                <figure key={tr.index} className="tile">
                  <video
                    ref={(el) => void (el ? elements.current.set(tr.index, el) : undefined)}
                    src={urls.data![i]}
                    data-track={tr.index}
                    playsInline
                    muted
                    preload="auto"
                    aria-label={label(tr)}
                  />
                  <figcaption>{label(tr)}</figcaption>
                </figure>
              ) : (
                <audio
                  key={tr.index}
                  ref={(el) => void (el ? elements.current.set(tr.index, el) : undefined)}
                  src={urls.data![i]}
                  data-track={tr.index}
                  preload="auto"
                  aria-label={label(tr)}
                />
              ),
            )
          : null}
      </div>
      <div className="row wrap playback-bar" role="group" aria-label={t('recording.controls')}>
        <button type="button" onClick={toggle} disabled={!urls.data}>
          {playing ? t('recording.pause') : t('recording.play')}
        </button>
        <input
          type="range"
          min={0}
          max={duration}
          step={0.1}
          value={position}
          aria-label={t('recording.seek')}
          onChange={(e) => seek(Number(e.target.value))}
          data-testid="seek"
        />
        <span data-testid="position" data-position={position.toFixed(2)}>
          {clockLabel(position)} / {clockLabel(duration)}
        </span>
      </div>
      <section aria-label={t('recording.chat')}>
        <h2>{t('recording.chat')}</h2>
        {shown.length ? (
          <ul className="playback-chat">
            {shown.map((m, i) => (
              <li key={i}>
                <button type="button" className="link" onClick={() => seek(Math.max(0, m.offset))}>
                  {clockLabel(Math.max(0, m.offset))}
                </button>{' '}
                <strong>{m.author}</strong>: {m.text}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('recording.noChat')}</p>
        )}
      </section>
      {hasRole('admin') ? <RawDownload id={id} startedAt={r.startedAt} /> : null}
    </Page>
  );
}

/** The raw file for an administrator, with the reason the audit trail keeps. */
function RawDownload({ id, startedAt }: { id: string; startedAt: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const file = `recording-${startedAt.slice(0, 10)}.mkv`;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        api.downloadRecording(id, reason, file).catch(setError);
      }}
    >
      <label>
        {t('recording.reason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={5} required />
      </label>
      <button type="submit">{t('recording.download')}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
