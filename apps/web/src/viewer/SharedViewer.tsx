import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  COLLAB_CLIENT_EVENTS,
  COLLAB_SERVER_EVENTS,
  displayKindOf,
  type Attachment,
  type ViewState,
} from '@caunoi/shared';
import { fetchBlob } from '../api/client';
import { collabSocket, emitAck } from '../api/collab';
import { api } from '../api/endpoints';
import { decodeDicomImage, renderWindowLevel, WINDOW_PRESETS, type DicomImage } from './dicom';
import { Stage, type Shape, type Tool } from './Stage';

interface SavedAnnotation {
  id?: string;
  clientId: string;
  attachmentId: string;
  page: number;
  shape: Shape;
}

/** Annotations of one attachment: loaded from the API, kept live from the gateway, drawn by anyone who drives. */
function useAnnotations(sessionId: string, attachmentId: string | null) {
  const [items, setItems] = useState<SavedAnnotation[]>([]);
  useEffect(() => {
    setItems([]);
    if (!attachmentId || !sessionId) return;
    let alive = true;
    api
      .annotations(sessionId, attachmentId)
      .then((list) => alive && setItems((prev) => merge(prev, list as SavedAnnotation[])))
      .catch(() => undefined);
    const socket = collabSocket();
    const on = (a: SavedAnnotation) => {
      if (a.attachmentId === attachmentId) setItems((prev) => merge(prev, [a]));
    };
    socket.on(COLLAB_SERVER_EVENTS.annotation, on);
    return () => {
      alive = false;
      socket.off(COLLAB_SERVER_EVENTS.annotation, on);
    };
  }, [sessionId, attachmentId]);
  const add = async (page: number, shape: Shape) => {
    if (!attachmentId) return;
    const a: SavedAnnotation = { clientId: crypto.randomUUID(), attachmentId, page, shape };
    setItems((prev) => merge(prev, [a]));
    const saved = await emitAck<SavedAnnotation>(
      collabSocket(),
      COLLAB_CLIENT_EVENTS.annotationAdd,
      { sessionId, ...a },
    ).catch(() => null);
    if (saved) setItems((prev) => merge(prev, [saved]));
  };
  return { items, add };
}

function merge(prev: SavedAnnotation[], more: SavedAnnotation[]): SavedAnnotation[] {
  const out = [...prev];
  for (const a of more) {
    const i = out.findIndex((x) => x.clientId === a.clientId);
    if (i >= 0) out[i] = { ...out[i], ...a };
    else out.push(a);
  }
  return out;
}
import { DEFAULT_VIEW } from './viewSync';

type Loaded =
  | { kind: 'dicom'; image: DicomImage }
  | { kind: 'image'; url: string; width: number; height: number }
  | { kind: 'pdf'; doc: PdfDoc; pages: number }
  | { kind: 'other' };

interface PdfDoc {
  numPages: number;
  getPage(n: number): Promise<{
    getViewport(o: { scale: number }): { width: number; height: number };
    render(o: {
      canvas: HTMLCanvasElement;
      canvasContext: CanvasRenderingContext2D;
      viewport: unknown;
    }): { promise: Promise<void>; cancel(): void };
  }>;
  destroy(): Promise<void>;
}

const PDF_SCALE = 1.5;
/** The collaboration contract's limit for a text annotation. */
const NOTE_MAX = 500;

async function loadPdf(data: ArrayBuffer): Promise<PdfDoc> {
  const pdfjs = await import('pdfjs-dist');
  const worker = await import('pdfjs-dist/build/pdf.worker.min.mjs?url');
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return (await pdfjs.getDocument({ data: new Uint8Array(data) }).promise) as unknown as PdfDoc;
}

async function loadAttachment(a: Attachment): Promise<Loaded> {
  const blob = await fetchBlob(`/attachments/${a.id}/content`);
  const kind = displayKindOf(a.kind);
  if (kind === 'dicom') return { kind, image: await decodeDicomImage(await blob.arrayBuffer()) };
  if (kind === 'pdf') {
    const doc = await loadPdf(await blob.arrayBuffer());
    return { kind, doc, pages: doc.numPages };
  }
  if (kind === 'image') {
    const url = URL.createObjectURL(blob);
    const img = new Image();
    img.src = url;
    await img.decode();
    return { kind, url, width: img.naturalWidth, height: img.naturalHeight };
  }
  return { kind: 'other' };
}

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
  const [loaded, setLoaded] = useState<{ id: string; data: Loaded } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const selected = attachments.find((a) => a.id === current.attachmentId) ?? null;
  const annotations = useAnnotations(sessionId, selected?.id ?? null);

  useEffect(() => {
    if (!selected) return;
    if (loaded?.id === selected.id) return;
    let alive = true;
    setError(null);
    loadAttachment(selected)
      .then((data) => {
        if (!alive) return;
        setLoaded({ id: selected.id, data });
        // First opening of a DICOM by whoever drives: start from the file's own window.
        if (data.kind === 'dicom' && !current.windowLevel && !following)
          change({ ...current, windowLevel: data.image.window });
      })
      .catch(
        (err) =>
          alive &&
          setError(err?.code ? t(`viewer.dicomError.${err.code}`) : t('viewer.loadFailed')),
      );
    return () => {
      alive = false;
    };
  }, [selected?.id]);

  function open(id: string) {
    change({ ...DEFAULT_VIEW, attachmentId: id });
  }

  const data = loaded && selected && loaded.id === selected.id ? loaded.data : null;
  const wl = current.windowLevel ?? (data?.kind === 'dicom' ? data.image.window : null);
  const canDrive = !following;

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
        <div className="viewer-tools row wrap" role="toolbar" aria-label={t('viewer.tools')}>
          <button
            type="button"
            disabled={!canDrive}
            onClick={() => change({ ...current, zoom: Math.min(40, current.zoom * 1.25) })}
          >
            {t('viewer.zoomIn')}
          </button>
          <button
            type="button"
            disabled={!canDrive}
            onClick={() => change({ ...current, zoom: Math.max(0.05, current.zoom / 1.25) })}
          >
            {t('viewer.zoomOut')}
          </button>
          <button
            type="button"
            disabled={!canDrive}
            onClick={() => change({ ...current, zoom: 1, pan: { x: 0, y: 0 } })}
          >
            {t('viewer.reset')}
          </button>
          <output aria-label={t('viewer.zoomLevel')}>{Math.round(current.zoom * 100)}%</output>
          <fieldset className="inline" aria-label={t('viewer.tool')}>
            {(
              [
                'pan',
                ...(data?.kind === 'dicom' ? ['windowLevel'] : []),
                'arrow',
                'ellipse',
                'text',
              ] as Tool[]
            ).map((k) => (
              <label key={k} className="radio">
                <input
                  type="radio"
                  name="tool"
                  checked={tool === k}
                  onChange={() => {
                    setTool(k);
                    setNoteAt(null);
                  }}
                  disabled={!canDrive}
                />
                {t(`viewer.toolName.${k}`)}
              </label>
            ))}
          </fieldset>
          {data?.kind === 'pdf' ? (
            <>
              <button
                type="button"
                disabled={!canDrive || current.page <= 1}
                onClick={() => change({ ...current, page: current.page - 1 })}
              >
                {t('viewer.prevPage')}
              </button>
              <output aria-label={t('viewer.pageLabel')}>
                {t('viewer.page', { page: current.page, pages: data.pages })}
              </output>
              <button
                type="button"
                disabled={!canDrive || current.page >= data.pages}
                onClick={() => change({ ...current, page: current.page + 1 })}
              >
                {t('viewer.nextPage')}
              </button>
            </>
          ) : null}
          {data?.kind === 'dicom' && wl ? (
            <>
              <label className="inline-label">
                {t('viewer.windowCenter')}
                <input
                  type="number"
                  className="narrow"
                  value={Math.round(wl.center)}
                  disabled={!canDrive}
                  onChange={(e) =>
                    e.target.value !== '' &&
                    change({ ...current, windowLevel: { ...wl, center: Number(e.target.value) } })
                  }
                />
              </label>
              <label className="inline-label">
                {t('viewer.windowWidth')}
                <input
                  type="number"
                  className="narrow"
                  min={1}
                  value={Math.round(wl.width)}
                  disabled={!canDrive}
                  onChange={(e) =>
                    Number(e.target.value) >= 1 &&
                    change({ ...current, windowLevel: { ...wl, width: Number(e.target.value) } })
                  }
                />
              </label>
              <label className="inline-label">
                {t('viewer.preset')}
                <select
                  disabled={!canDrive}
                  value=""
                  onChange={(e) => {
                    const key = e.target.value as keyof typeof WINDOW_PRESETS | 'file';
                    if (key === 'file') change({ ...current, windowLevel: data.image.window });
                    else if (key) change({ ...current, windowLevel: { ...WINDOW_PRESETS[key] } });
                  }}
                >
                  <option value="">—</option>
                  <option value="file">{t('viewer.presetFile')}</option>
                  {Object.keys(WINDOW_PRESETS).map((k) => (
                    <option key={k} value={k}>
                      {t(`viewer.presets.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
          {current.pointer ? (
            <button
              type="button"
              disabled={!canDrive}
              onClick={() => change({ ...current, pointer: null })}
            >
              {t('viewer.hidePointer')}
            </button>
          ) : null}
        </div>
      ) : null}
      {selected && data && tool === 'text' && canDrive ? (
        <form
          className="note-form row wrap"
          aria-label={t('viewer.note.form')}
          onSubmit={(e) => {
            e.preventDefault();
            const text = noteText.trim();
            if (!noteAt || !text) return;
            void annotations.add(data.kind === 'pdf' ? current.page : 1, {
              type: 'text',
              at: [noteAt.x, noteAt.y],
              text,
            });
            setNoteText('');
            setNoteAt(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setNoteAt(null);
              setNoteText('');
            }
          }}
        >
          <label className="inline-label grow">
            {t('viewer.note.text')}
            <input
              ref={noteInput}
              value={noteText}
              maxLength={NOTE_MAX}
              onChange={(e) => setNoteText(e.target.value)}
            />
          </label>
          <button type="submit" disabled={!noteAt || !noteText.trim()}>
            {t('viewer.note.add')}
          </button>
          <span className="muted small" aria-live="polite">
            {noteAt
              ? t('viewer.note.placed', {
                  x: Math.round(noteAt.x * 100),
                  y: Math.round(noteAt.y * 100),
                })
              : t('viewer.note.howToPlace')}
          </span>
        </form>
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
            ...annotations.items
              .filter((a) => a.page === (data.kind === 'pdf' ? current.page : 1))
              .map((a) => a.shape),
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
          onAnnotate={(shape) =>
            void annotations.add(data.kind === 'pdf' ? current.page : 1, shape)
          }
          onPlace={(at) => {
            setNoteAt(at);
            noteInput.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}

function Rendered({
  data,
  view,
  wl,
  interactive,
  tool,
  onView,
  label,
  annotations,
  onAnnotate,
  onPlace,
}: {
  data: Loaded;
  view: ViewState;
  wl: { center: number; width: number } | null;
  interactive: boolean;
  tool: Tool;
  onView: (v: ViewState) => void;
  label: string;
  annotations: Shape[];
  onAnnotate: (s: Shape) => void;
  onPlace: (at: { x: number; y: number }) => void;
}) {
  const { t } = useTranslation();
  const ann = { annotations, onAnnotate, onPlace };
  const plainTool: Tool = tool === 'windowLevel' ? 'pan' : tool;
  if (data.kind === 'dicom') {
    return (
      <Stage
        width={data.image.columns}
        height={data.image.rows}
        view={view}
        interactive={interactive}
        tool={tool}
        onView={onView}
        label={label}
        {...ann}
      >
        <DicomCanvas image={data.image} wl={wl ?? data.image.window} />
      </Stage>
    );
  }
  if (data.kind === 'image') {
    return (
      <Stage
        width={data.width}
        height={data.height}
        view={view}
        interactive={interactive}
        tool={plainTool}
        onView={onView}
        label={label}
        {...ann}
      >
        <img src={data.url} alt={label} width={data.width} height={data.height} draggable={false} />
      </Stage>
    );
  }
  if (data.kind === 'pdf')
    return (
      <PdfPage
        doc={data.doc}
        page={Math.min(view.page, data.pages)}
        view={view}
        interactive={interactive}
        onView={onView}
        label={label}
        tool={plainTool}
        {...ann}
      />
    );
  return <p>{t('viewer.unsupported')}</p>;
}

function DicomCanvas({ image, wl }: { image: DicomImage; wl: { center: number; width: number } }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLCanvasElement>(null);
  const buffer = useMemo(() => new ImageData(image.columns, image.rows), [image]);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    renderWindowLevel(image, wl, buffer.data);
    ctx.putImageData(buffer, 0, 0);
  }, [image, wl.center, wl.width, buffer, wl]);
  return (
    <canvas
      ref={ref}
      width={image.columns}
      height={image.rows}
      role="img"
      aria-label={t('viewer.dicomImage', {
        center: Math.round(wl.center),
        width: Math.round(wl.width),
      })}
      data-window-center={Math.round(wl.center)}
      data-window-width={Math.round(wl.width)}
    />
  );
}

function PdfPage({
  doc,
  page,
  view,
  interactive,
  onView,
  label,
  tool,
  annotations,
  onAnnotate,
  onPlace,
}: {
  doc: PdfDoc;
  page: number;
  view: ViewState;
  interactive: boolean;
  onView: (v: ViewState) => void;
  label: string;
  tool: Tool;
  annotations: Shape[];
  onAnnotate: (s: Shape) => void;
  onPlace: (at: { x: number; y: number }) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useEffect(() => {
    let cancelled = false;
    let task: { cancel(): void } | null = null;
    void (async () => {
      const p = await doc.getPage(page);
      if (cancelled) return;
      const viewport = p.getViewport({ scale: PDF_SCALE });
      const canvas = ref.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      setSize({ w: canvas.width, h: canvas.height });
      const r = p.render({ canvas, canvasContext: ctx, viewport });
      task = r;
      await r.promise.catch(() => undefined);
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, page]);
  return (
    <Stage
      width={size?.w ?? 600}
      height={size?.h ?? 800}
      view={view}
      interactive={interactive}
      tool={tool}
      onView={onView}
      label={label}
      annotations={annotations}
      onAnnotate={onAnnotate}
      onPlace={onPlace}
    >
      <canvas ref={ref} role="img" aria-label={t('viewer.pdfPage', { page })} data-page={page} />
    </Stage>
  );
}
