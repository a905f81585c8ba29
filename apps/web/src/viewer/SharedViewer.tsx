import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment, ViewState } from '@caunoi/shared';
import { useAuth } from '../app/auth';
import { useAnnotations } from '../collab/useAnnotations';
import { DownloadProgress } from './DownloadProgress';
import { useLoadedAttachment } from './loader';
import { MachineOverlay } from './machine/MachineOverlay';
import { MachinePanel } from './machine/MachinePanel';
import { useMachineReadings } from './machine/useMachineReadings';
import { NoteForm } from './NoteForm';
import { Rendered } from './Rendered';
import type { Tool } from './Stage';
import { StackControls } from './stack/StackControls';
import { documentOptions } from './stack/stacks';
import { StackViewer } from './stack/StackViewer';
import { useStackDocument } from './stack/useStackDocument';
import { ViewerToolbar } from './ViewerToolbar';
import { DEFAULT_VIEW } from './viewSync';

/**
 * The records panel: the session's attachments in one viewer. The presenter drives it; everyone
 * else follows page or slice, zoom, pan, window/level and pointer. Without a presenter each person
 * browses on their own. A CT/MR series (or a multi-frame file) opens as one stack of slices.
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
  const stack = useStackDocument({ selected, attachments, view: current, following, change });
  const { hasRole } = useAuth();
  const [machineOn, setMachineOn] = useState(false);
  // Machine readers read single images (radiographs), not the slices of a stack.
  const machine = useMachineReadings(
    selected?.kind === 'dicom' && !stack ? selected.id : null,
    machineOn,
  );
  const single = useLoadedAttachment(stack ? null : selected, (image) => {
    // First opening of a DICOM by whoever drives: start from the file's own window.
    if (!current.windowLevel && !following) change({ ...current, windowLevel: image.window });
  });

  const data = stack ? stack.toolbar : single.data;
  const error = stack ? null : single.error;
  const shown = stack ? stack.shown : single.data;

  function open(id: string) {
    change({ ...DEFAULT_VIEW, attachmentId: id });
  }
  function discardNote() {
    setNoteAt(null);
    setNoteText('');
  }

  const wl = current.windowLevel ?? (data?.kind === 'dicom' ? data.image.window : null);
  const canDrive = !following;
  // Annotations stay on their page, or on their slice of a stack.
  const page = stack ? stack.slice + 1 : data?.kind === 'pdf' ? current.page : 1;
  const options = documentOptions(attachments);
  const label = (o: (typeof options)[number]) =>
    o.count
      ? t('viewer.seriesOption', { name: o.description ?? o.fileName, count: o.count })
      : o.fileName;
  const selectedOption = options.find((o) => o.id === (stack?.spec.anchorId ?? selected?.id));
  const stageLabel = selectedOption ? label(selectedOption) : (selected?.fileName ?? '');

  return (
    <section className="viewer" aria-label={t('viewer.title')}>
      <div className="viewer-bar row wrap">
        <label className="inline-label">
          {t('viewer.document')}
          <select
            value={stack?.spec.anchorId ?? current.attachmentId ?? ''}
            disabled={!canDrive}
            onChange={(e) => e.target.value && open(e.target.value)}
          >
            <option value="">{t('viewer.choose')}</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {label(o)}
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
          fileWindows={stack?.view.fileWindows}
        />
      ) : null}
      {stack ? (
        <StackControls
          slice={stack.slice}
          count={stack.spec.slices.length}
          loaded={stack.view.loaded}
          canDrive={canDrive}
          go={stack.go}
        />
      ) : null}
      {selected?.kind === 'dicom' && !stack ? (
        <MachinePanel
          on={machineOn}
          onToggle={setMachineOn}
          readings={machine.items}
          error={machine.error}
          canReview={hasRole('requester', 'specialist')}
          onReview={(id, decision) => void machine.review(id, decision)}
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
      {selected && !stack && !data && !error ? (
        <DownloadProgress download={single.download} />
      ) : null}
      {stack && selected ? (
        <StackViewer
          stack={stack.view}
          slice={stack.slice}
          view={current}
          interactive={canDrive}
          tool={tool}
          onView={change}
          label={stageLabel}
          go={stack.go}
        >
          {rendered()}
        </StackViewer>
      ) : (
        rendered()
      )}
    </section>
  );

  function rendered() {
    return shown && selected ? (
      <Rendered
        data={shown}
        view={current}
        wl={wl}
        interactive={canDrive}
        tool={tool}
        onView={change}
        label={stageLabel}
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
        overlay={
          machineOn && machine.items && !stack
            ? (w, h) => <MachineOverlay readings={machine.items!} width={w} height={h} />
            : undefined
        }
        onPlace={(at) => {
          setNoteAt(at);
          noteInput.current?.focus();
        }}
      />
    ) : null;
  }
}
