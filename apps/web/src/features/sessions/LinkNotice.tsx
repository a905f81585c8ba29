import { useTranslation } from 'react-i18next';
import type { ConferenceSnapshot } from '../../conference/ConferenceClient';

/**
 * Tells this site, honestly, what its own line allows: video cut back to keep audio (with one tap
 * to go audio-only), video stopped automatically, or its camera sent at low quality.
 */
export function LinkNotice({
  snap,
  onAudioOnly,
}: {
  snap: Pick<ConferenceSnapshot, 'linkMode' | 'uplinkLimited' | 'audioOnly' | 'state'>;
  onAudioOnly: () => void;
}) {
  const { t } = useTranslation();
  if (snap.state !== 'connected' || snap.audioOnly) return null;
  const lines: string[] = [];
  if (snap.linkMode === 'critical') lines.push(t('room.link.critical'));
  else if (snap.linkMode === 'weak') lines.push(t('room.link.weak'));
  if (snap.uplinkLimited) lines.push(t('room.link.uplink'));
  if (!lines.length) return null;
  return (
    <div className="banner link-notice" role="status" aria-live="polite">
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
      {snap.linkMode === 'weak' ? (
        <button type="button" onClick={onAudioOnly}>
          {t('room.link.goAudioOnly')}
        </button>
      ) : null}
    </div>
  );
}
