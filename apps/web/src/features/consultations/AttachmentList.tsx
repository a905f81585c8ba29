import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment } from '@caunoi/shared';
import { download } from '../../api/client';
import { StackPreview } from '../../viewer/stack/StackPreview';
import { formatBytes } from '../../i18n/format';
import { attachmentRows, type AttachmentRow } from './attachmentRows';

type SeriesRow = Extract<AttachmentRow, { kind: 'series' }>;

function FileLink({ a }: { a: Attachment }) {
  return (
    <>
      <button
        type="button"
        className="link"
        onClick={() => void download(`/attachments/${a.id}/content`, a.fileName)}
      >
        {a.fileName}
      </button>{' '}
      <span className="muted">{a.sizeBytes ? formatBytes(a.sizeBytes) : ''}</span>
    </>
  );
}

/**
 * A request's attachments: each file a download, and a DICOM series as one row ("CT NGỰC — loạt
 * 120 ảnh · 61 MB") that opens it as a stack, its files listed only when unfolded.
 */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<SeriesRow | null>(null);
  const name = (r: SeriesRow) =>
    t('viewer.seriesOption', {
      name: r.description ?? r.anchor.fileName,
      count: r.members.length,
    });
  return (
    <>
      <ul aria-label={t('attachments.title')} className="attachment-list">
        {attachmentRows(attachments).map((r) =>
          r.kind === 'file' ? (
            <li key={r.attachment.id}>
              <FileLink a={r.attachment} />
            </li>
          ) : (
            <li key={r.uid} className="attachment-series">
              <button type="button" className="link" onClick={() => setOpen(r)}>
                {name(r)}
              </button>{' '}
              <span className="muted">· {formatBytes(r.sizeBytes)}</span>
              <details>
                <summary>{t('attachments.seriesFiles', { count: r.members.length })}</summary>
                <ul aria-label={t('attachments.seriesFilesOf', { name: name(r) })}>
                  {r.members.map((m) => (
                    <li key={m.id}>
                      <FileLink a={m} />
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ),
        )}
        {attachments.length === 0 ? <li>{t('attachments.none')}</li> : null}
      </ul>
      {open ? (
        <StackPreview
          anchor={open.anchor}
          attachments={attachments}
          label={name(open)}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  );
}
