import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment, ViewState } from '@caunoi/shared';
import { Rendered } from '../Rendered';
import { DEFAULT_VIEW } from '../viewSync';
import { StackControls } from './StackControls';
import { StackViewer } from './StackViewer';
import { useStackDocument } from './useStackDocument';

const ignore = () => undefined;

/**
 * A series looked through on one's own, outside a session (the request page): the same stack
 * loading, slider, wheel and keys as the room's viewer, but a private view and no annotations —
 * notes and measurements belong to the session, where everyone sees them.
 */
export function StackPreview({
  anchor,
  attachments,
  label,
  onClose,
}: {
  anchor: Attachment;
  attachments: Attachment[];
  label: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [view, setView] = useState<ViewState>({ ...DEFAULT_VIEW, attachmentId: anchor.id });
  const stack = useStackDocument({
    selected: anchor,
    attachments,
    view,
    following: false,
    change: setView,
  });
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const sample = stack?.toolbar;
  const wl = view.windowLevel ?? (sample?.kind === 'dicom' ? sample.image.window : null);
  return (
    <dialog ref={ref} aria-label={label} onCancel={onClose} className="card stack-preview">
      <div className="row wrap">
        <h2>{label}</h2>
        <button type="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {stack ? (
        <section className="viewer" aria-label={t('viewer.title')}>
          <StackControls
            slice={stack.slice}
            count={stack.spec.slices.length}
            loaded={stack.view.loaded}
            canDrive
            go={stack.go}
          />
          <StackViewer
            stack={stack.view}
            slice={stack.slice}
            view={view}
            interactive
            tool="pan"
            onView={setView}
            label={label}
            go={stack.go}
          >
            {stack.shown ? (
              <Rendered
                data={stack.shown}
                view={view}
                wl={wl}
                interactive
                tool="pan"
                onView={setView}
                label={label}
                annotations={[]}
                onAnnotate={ignore}
                onPlace={ignore}
              />
            ) : null}
          </StackViewer>
        </section>
      ) : null}
    </dialog>
  );
}
