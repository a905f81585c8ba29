import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment, ViewState } from '@caunoi/shared';
import { useAnnotations } from '../collab/useAnnotations';
import { useLoadedAttachment } from './loader';
import { NoteForm } from './NoteForm';
import { Rendered } from './Rendered';
import type { Tool } from './Stage';
import { ViewerToolbar } from './ViewerToolbar';
import { DEFAULT_VIEW } from './viewSync';

/**
 * The records panel: the session's attachments in one viewer. The presenter drives it; everyone
 * else follows page, zoom, pan, window/level and pointer. Without a presenter each person
 * browses on their own.
 */
export function SharedViewer({
  sessionId,
  attachments,
  view,
  presenterId,
  presenterName,
  selfId,
  onPublish,
  onLocal,
  onPresent,
}: {
  sessionId: string;
  attachments: Attachment[];
  view: ViewState | null;
  presenterId: string | null;
  presenterName: string | null;
  selfId: string;
  onPublish: (v: ViewState) => void;
  onLocal: (v: ViewState) => void;
  onPresent: (present: boolean) => void;
}) {
  const { t } = useTranslation();
  const presenting = presenterId === selfId;
  const following = !!presenterId && !presenting;
  const current = view ?? DEFAULT_VIEW;
  const change = presenting ? onPublish : onLocal;
  const [tool, setTool] = useState<Tool>('pan');
  const [noteAt, setNoteAt] = useState<{ x: number; y: number } | null>(null);
  const [noteText, setNoteText] = useState('');
  const noteInput = useRef<HTMLInputElement>(null);
  const selected = attachments.find((a) => a.id === current.attachmentId) ?? null;
  const annotations = useAnnotations(sessionId, selected?.id ?? null);
  const { data, error } = useLoadedAttachment(selected, (image) => {
    // First opening of a DICOM by whoever drives: start from the file's own window.
    if (!current.windowLevel && !following) change({ ...current, windowLevel: image.window });
  });

  function open(id: string) {
    change({ ...DEFAULT_VIEW, attachmentId: id });
  }
  function discardNote() {
    setNoteAt(null);
    setNoteText('');
  }

  const wl = current.windowLevel ?? (data?.kind === 'dicom' ? data.image.window : null);
  const canDrive = !following;
  const page = data?.kind === 'pdf' ? current.page : 1;

  return (
    <section className="viewer" aria-label={t('viewer.title')}>
      <div className="viewer-bar row wrap">
        <label className="inline-label">
          {t('viewer.document')}
          <select
            value={current.attachmentId ?? ''}
            disabled={!canDrive}
            onChange={(e) => e.target.value && open(e.target.value)}
          >
            <option value="">{t('viewer.choose')}</option>
            {attachments.map((a) => (
              <option key={a.id} value={a.id}>
                {a.fileName}
              </option>
            ))}
          </select>
        </label>
        {presenting ? (
          <button type="button" aria-pressed onClick={() => onPresent(false)}>
            {t('viewer.stopPresenting')}
          </button>
        ) : (
          <button
            type="button"
            aria-pressed={false}
            disabled={!current.attachmentId || following}
            onClick={() => onPresent(true)}
          >
            {t('viewer.present')}
          </button>
        )}
        <span role="status" aria-live="polite" className="presenter-status">
          {presenterId
            ? presenting
              ? t('viewer.youPresent')
              : t('viewer.following', { name: presenterName ?? '…' })
            : t('viewer.noPresenter')}
        </span>
      </div>
      {selected ? (
        <ViewerToolbar
          view={current}
          data={data}
          wl={wl}
          canDrive={canDrive}
          tool={tool}
          onTool={(k) => {
            setTool(k);
            setNoteAt(null);
          }}
          change={change}
        />
      ) : null}
      {selected && data && tool === 'text' && canDrive ? (
        <NoteForm
          at={noteAt}
          text={noteText}
          onText={setNoteText}
          input={noteInput}
          onDiscard={discardNote}
          onSend={(at, text) => {
            void annotations.add(page, { type: 'text', at: [at.x, at.y], text });
            discardNote();
          }}
        />
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {!selected ? (
        <p className="muted viewer-empty">
          {attachments.length ? t('viewer.pick') : t('viewer.noAttachments')}
        </p>
      ) : null}
      {selected && !data && !error ? (
        <p role="status" className="muted">
          {t('common.loading')}
        </p>
      ) : null}
      {data && selected ? (
        <Rendered
          data={data}
          view={current}
          wl={wl}
          interactive={canDrive}
          tool={tool}
          onView={change}
          label={selected.fileName}
          annotations={[
            ...annotations.items.filter((a) => a.page === page).map((a) => a.shape),
            ...(noteAt && tool === 'text'
              ? [
                  {
                    type: 'text' as const,
                    at: [noteAt.x, noteAt.y] as [number, number],
                    text: noteText.trim() || '✎',
                  },
                ]
              : []),
          ]}
          onAnnotate={(shape) => void annotations.add(page, shape)}
          onPlace={(at) => {
            setNoteAt(at);
            noteInput.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}
