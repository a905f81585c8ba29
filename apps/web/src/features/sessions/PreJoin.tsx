import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listDevices, openLocalMedia, stopStream } from '../../conference/devices';
import { markJoinStep } from '../../conference/marks';

/** Camera and microphone check before entering the room: preview, device choice, audio-only. */
export function PreJoin({
  onJoin,
  title,
  disabled,
  autoJoin,
}: {
  onJoin: (stream: MediaStream, audioOnly: boolean) => void;
  title: string;
  disabled?: boolean;
  /** Join as soon as the devices are open (an emergency: every second counts). */
  autoJoin?: boolean;
}) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [cameraId, setCameraId] = useState('');
  const [micId, setMicId] = useState('');
  const [audioOnly, setAudioOnly] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [level, setLevel] = useState(0);
  const handedOver = useRef(false);

  useEffect(() => {
    let alive = true;
    let opened: MediaStream | null = null;
    openLocalMedia({ cameraId: cameraId || undefined, micId: micId || undefined, audioOnly })
      .then(async (s) => {
        if (!alive) return stopStream(s);
        opened = s;
        markJoinStep('prejoin-ready');
        setStream(s);
        setError(null);
        const d = await listDevices();
        if (!alive) return;
        setCameras(d.cameras);
        setMics(d.mics);
      })
      .catch(
        (err: Error) =>
          alive &&
          setError(err.name === 'NotAllowedError' ? t('prejoin.denied') : t('prejoin.noDevice')),
      );
    return () => {
      alive = false;
      if (!handedOver.current) stopStream(opened);
    };
  }, [cameraId, micId, audioOnly, t]);

  useEffect(() => {
    if (!autoJoin || !stream || disabled || handedOver.current) return;
    handedOver.current = true;
    onJoin(stream, audioOnly);
  }, [autoJoin, stream, disabled, audioOnly, onJoin]);

  useEffect(() => {
    if (video.current)
      video.current.srcObject = stream && stream.getVideoTracks().length ? stream : null;
  }, [stream]);

  // A microphone level meter, so a clinician can see the microphone works before joining.
  useEffect(() => {
    if (!stream || !stream.getAudioTracks().length) return;
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Uint8Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getByteTimeDomainData(buf);
      let peak = 0;
      for (const v of buf) peak = Math.max(peak, Math.abs(v - 128));
      setLevel(peak / 128);
    }, 150);
    return () => {
      clearInterval(timer);
      void ctx.close();
    };
  }, [stream]);

  return (
    <section className="card prejoin" aria-labelledby="prejoin-title">
      <h2 id="prejoin-title">{t('prejoin.title', { title })}</h2>
      <div className="prejoin-body">
        <div className="prejoin-preview">
          {audioOnly || !stream?.getVideoTracks().length ? (
            <div className="video-off">{t('prejoin.noVideo')}</div>
          ) : (
            <video ref={video} autoPlay playsInline muted aria-label={t('prejoin.preview')} />
          )}
          <meter min={0} max={1} value={level} aria-label={t('prejoin.micLevel')} />
        </div>
        <div className="prejoin-controls">
          <label>
            {t('prejoin.camera')}
            <select
              value={cameraId}
              onChange={(e) => setCameraId(e.target.value)}
              disabled={audioOnly}
            >
              <option value="">{t('prejoin.default')}</option>
              {cameras.map((c, i) => (
                <option key={c.deviceId || i} value={c.deviceId}>
                  {c.label || t('prejoin.cameraN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('prejoin.microphone')}
            <select value={micId} onChange={(e) => setMicId(e.target.value)}>
              <option value="">{t('prejoin.default')}</option>
              {mics.map((m, i) => (
                <option key={m.deviceId || i} value={m.deviceId}>
                  {m.label || t('prejoin.micN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={audioOnly}
              onChange={(e) => setAudioOnly(e.target.checked)}
            />
            {t('prejoin.audioOnly')}
          </label>
          <p className="muted small">{t('prejoin.audioOnlyHint')}</p>
          {error ? (
            <p role="alert" className="error">
              {error}
            </p>
          ) : null}
          <button
            type="button"
            className="primary"
            disabled={!stream || disabled}
            onClick={() => {
              if (!stream) return;
              handedOver.current = true;
              onJoin(stream, audioOnly);
            }}
          >
            {t('prejoin.join')}
          </button>
        </div>
      </div>
    </section>
  );
}
