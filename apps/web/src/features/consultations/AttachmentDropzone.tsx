import { useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTACHMENT_ACCEPT } from '@caunoi/shared';
import { formatBytes } from '../../i18n/format';

export interface QueuedFile {
  key: string;
  file: File;
  /** 0..1 while uploading; null before. */
  progress: number | null;
  state: 'queued' | 'uploading' | 'done' | 'failed';
  error?: string;
}

export const ACCEPTED_TYPES = ATTACHMENT_ACCEPT;
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Drag-and-drop (or keyboard: the button opens the file chooser) with per-file progress. */
export function AttachmentDropzone({
  files,
  onAdd,
  onRemove,
  disabled,
}: {
  files: QueuedFile[];
  onAdd: (files: File[]) => void;
  onRemove: (key: string) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  function drop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    onAdd(Array.from(e.dataTransfer.files));
  }

  return (
    <div className="dropzone-wrap">
      <div
        className={`dropzone${over ? ' over' : ''}`}
        role="region"
        aria-label={t('attachments.dropzone')}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p>{t('attachments.dropHere')}</p>
        <button type="button" disabled={disabled} onClick={() => input.current?.click()}>
          {t('attachments.choose')}
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept={ACCEPTED_TYPES}
          aria-label={t('attachments.fileInput')}
          onChange={(e) => {
            onAdd(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
        <p className="muted small">{t('attachments.hint', { max: formatBytes(MAX_FILE_BYTES) })}</p>
      </div>
      {files.length ? (
        <ul className="file-list" aria-label={t('attachments.queue')}>
          {files.map((f) => (
            <li key={f.key}>
              <span className="file-name">{f.file.name}</span>{' '}
              <span className="muted">{formatBytes(f.file.size)}</span>
              <progress
                max={1}
                value={f.progress ?? 0}
                aria-label={t('attachments.progressFor', { name: f.file.name })}
                aria-valuetext={`${Math.round((f.progress ?? 0) * 100)}%`}
              />
              <span className={`file-state ${f.state}`}>{t(`attachments.state.${f.state}`)}</span>
              {f.error ? (
                <span role="alert" className="error">
                  {f.error}
                </span>
              ) : null}
              {f.state === 'queued' || f.state === 'failed' ? (
                <button
                  type="button"
                  onClick={() => onRemove(f.key)}
                  aria-label={t('attachments.removeNamed', { name: f.file.name })}
                >
                  {t('common.remove')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
