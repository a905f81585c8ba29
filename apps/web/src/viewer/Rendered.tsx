import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewState } from '@caunoi/shared';
import { renderWindowLevel, type DicomImage } from './dicom';
import { PDF_SCALE, type Loaded, type PdfDoc } from './loader';
import { Stage, type Shape, type Tool } from './Stage';

/** One loaded attachment on the stage: DICOM through window/level, an image, or a PDF page. */
export function Rendered({
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
  overlay,
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
  /** Drawn over a DICOM image in its pixel coordinates (machine findings). */
  overlay?: (width: number, height: number) => ReactNode;
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
        measure={{
          columns: data.image.columns,
          rows: data.image.rows,
          spacing: data.image.pixelSpacing,
        }}
        {...ann}
      >
        <DicomCanvas image={data.image} wl={wl ?? data.image.window} />
        {overlay?.(data.image.columns, data.image.rows)}
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
