import { useTranslation } from 'react-i18next';
import { formatBytes } from '../i18n/format';

export interface Download {
  receivedBytes: number;
  /** The attachment's size as the API recorded it; 0 when unknown. */
  totalBytes: number;
}

/**
 * A document on its way: how much has arrived of how much. On a commune's line a scan of a few
 * megabytes takes minutes, and "loading" alone cannot tell a slow line from a stuck one.
 */
export function DownloadProgress({ download }: { download: Download | null }) {
  const { t } = useTranslation();
  const received = download?.receivedBytes ?? 0;
  const total = download?.totalBytes ?? 0;
  const text = total
    ? t('viewer.downloading', { received: formatBytes(received), total: formatBytes(total) })
    : t('common.loading');
  return (
    <p role="status" className="muted viewer-download">
      {total ? (
        <progress
          max={total}
          value={Math.min(received, total)}
          aria-label={t('viewer.downloadProgress')}
          aria-valuetext={text}
        />
      ) : null}{' '}
      {text}
    </p>
  );
}
