import {
  useEffect,
  useRef,
  useState,
  type ReactNode,
  type PointerEvent as RPointerEvent,
  type KeyboardEvent,
  type WheelEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { Annotation, ViewState } from '@caunoi/shared';
import { angleDraft, type MeasureTool } from './measureGesture';
import type { MeasureContext } from './measure';
import { AnnotationLayer } from './AnnotationLayer';

export type Tool = 'pan' | 'windowLevel' | 'arrow' | 'ellipse' | 'text' | MeasureTool;
export type Shape = Annotation['shape'];

function shapeFrom(
  tool: 'arrow' | 'ellipse' | 'distance',
  a: { x: number; y: number },
  b: { x: number; y: number },
): Shape {
  if (tool === 'arrow') return { type: 'arrow', from: [a.x, a.y], to: [b.x, b.y] };
  if (tool === 'distance') return { type: 'distance', from: [a.x, a.y], to: [b.x, b.y] };
  return {
    type: 'ellipse',
    center: [(a.x + b.x) / 2, (a.y + b.y) / 2],
    rx: Math.abs(b.x - a.x) / 2,
    ry: Math.abs(b.y - a.y) / 2,
  };
}

/** The centre of what the viewer shows, in normalised content coordinates (where a keyboard-placed note goes). */
export function viewCentre(
  view: Pick<ViewState, 'pan'>,
  width: number,
  height: number,
): { x: number; y: number } {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    x: clamp(0.5 + (width ? view.pan.x / width : 0)),
    y: clamp(0.5 + (height ? view.pan.y / height : 0)),
  };
}

/**
 * Places content of a natural size (width × height) in the available box: zoom is relative to
 * "fit", pan is the offset of the view centre from the content centre in content pixels and the
 * pointer is in normalised content coordinates. Expressed this way, the same view looks the same
 * on every participant's screen whatever its size.
 */
export function Stage({
  width,
  height,
  view,
  interactive,
  tool,
  onView,
  children,
  label,
  annotations = [],
  onAnnotate,
  onPlace,
  measure,
}: {
  width: number;
  height: number;
  view: ViewState;
  interactive: boolean;
  tool: Tool;
  onView: (v: ViewState) => void;
  children: ReactNode;
  label: string;
  annotations?: Shape[];
  onAnnotate?: (shape: Shape) => void;
  /** Text tool: where a note goes (a click, or Enter on the focused stage = the view centre). */
  onPlace?: (at: { x: number; y: number }) => void;
  /** Pixel size and spacing for measurements (default: this content, no spacing: pixels). */
  measure?: MeasureContext;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 600, h: 400 });
  const drag = useRef<{
    x: number;
    y: number;
    view: ViewState;
    start: { x: number; y: number };
  } | null>(null);
  const [draft, setDraft] = useState<Shape | null>(null);
  // Angle: the points placed so far (taps, or a first drag for the first leg).
  const placed = useRef<{ x: number; y: number }[]>([]);
  const drawing =
    tool === 'arrow' ||
    tool === 'ellipse' ||
    tool === 'text' ||
    tool === 'distance' ||
    tool === 'angle';
  const measureContext = measure ?? { columns: width, rows: height, spacing: null };

  useEffect(() => {
    placed.current = [];
    setDraft(null);
  }, [tool]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const fit = width && height ? Math.min(size.w / width, size.h / height) : 1;
  const s = fit * view.zoom;
  const left = size.w / 2 - (width / 2 + view.pan.x) * s;
  const top = size.h / 2 - (height / 2 + view.pan.y) * s;

  function toContent(e: RPointerEvent): { x: number; y: number } {
    const r = box.current!.getBoundingClientRect();
    const x = (e.clientX - r.left - left) / s / width;
    const y = (e.clientY - r.top - top) / s / height;
    return { x: Math.min(1, Math.max(0, x)), y: Math.min(1, Math.max(0, y)) };
  }

  function onPointerDown(e: RPointerEvent) {
    if (!interactive) return;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, view, start: toContent(e) };
  }

  function onPointerMove(e: RPointerEvent) {
    if (!interactive) return;
    const d = drag.current;
    const pointer = toContent(e);
    if (tool === 'angle' && (d || placed.current.length)) {
      setDraft(angleDraft(d && !placed.current.length ? [d.start] : placed.current, pointer));
      onView({ ...view, pointer });
      return;
    }
    if (!d) {
      onView({ ...view, pointer });
      return;
    }
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (tool === 'text') {
      onView({ ...view, pointer });
      return;
    }
    if (tool === 'arrow' || tool === 'ellipse' || tool === 'distance') {
      setDraft(shapeFrom(tool, d.start, pointer));
      onView({ ...view, pointer });
      return;
    }
    if (tool === 'windowLevel' && d.view.windowLevel) {
      onView({
        ...d.view,
        pointer,
        windowLevel: {
          width: Math.max(1, Math.round(d.view.windowLevel.width + dx * 4)),
          center: Math.round(d.view.windowLevel.center + dy * 2),
        },
      });
    } else {
      onView({ ...d.view, pointer, pan: { x: d.view.pan.x - dx / s, y: d.view.pan.y - dy / s } });
    }
  }

  function onPointerUp(e: RPointerEvent) {
    const d = drag.current;
    drag.current = null;
    if (d && (tool === 'arrow' || tool === 'ellipse' || tool === 'distance') && onAnnotate) {
      const end = toContent(e);
      if (Math.hypot(end.x - d.start.x, end.y - d.start.y) > 0.01)
        onAnnotate(shapeFrom(tool, d.start, end));
    }
    if (d && tool === 'text' && onPlace) onPlace(toContent(e));
    if (d && tool === 'angle') {
      // A drag places the first leg at once; each tap places one point (works with a finger).
      const end = toContent(e);
      const dragged = Math.hypot(end.x - d.start.x, end.y - d.start.y) > 0.01;
      const pts = placed.current;
      if (dragged && pts.length === 0) pts.push(d.start, end);
      else pts.push(end);
      if (pts.length >= 3) {
        const [a, vertex, b] = pts;
        placed.current = [];
        onAnnotate?.({ type: 'angle', a: [a.x, a.y], vertex: [vertex.x, vertex.y], b: [b.x, b.y] });
      } else {
        setDraft(angleDraft(pts, end));
        return;
      }
    }
    setDraft(null);
  }

  function onWheel(e: WheelEvent) {
    if (!interactive) return;
    const factor = e.deltaY < 0 ? 1.15 : 1 / 1.15;
    onView({ ...view, zoom: Math.min(40, Math.max(0.05, view.zoom * factor)) });
  }

  function onKey(e: KeyboardEvent) {
    if (!interactive) return;
    const step = 40 / s;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    if (moves[e.key]) {
      e.preventDefault();
      onView({
        ...view,
        pan: { x: view.pan.x + moves[e.key][0], y: view.pan.y + moves[e.key][1] },
      });
    } else if (e.key === '+' || e.key === '=')
      onView({ ...view, zoom: Math.min(40, view.zoom * 1.2) });
    else if (e.key === '-') onView({ ...view, zoom: Math.max(0.05, view.zoom / 1.2) });
    else if (e.key === 'Enter' && tool === 'text' && onPlace) {
      e.preventDefault();
      onPlace(viewCentre(view, width, height));
    }
  }

  return (
    <div
      ref={box}
      className={`stage${interactive ? ' interactive' : ''} tool-${drawing ? 'draw' : tool}`}
      role="application"
      aria-label={label}
      aria-roledescription={t('viewer.stage')}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onWheel={onWheel}
      onKeyDown={onKey}
    >
      <div
        className="stage-content"
        style={{ width, height, transform: `translate(${left}px, ${top}px) scale(${s})` }}
      >
        {children}
        <AnnotationLayer
          shapes={draft ? [...annotations, draft] : annotations}
          width={width}
          height={height}
          measure={measureContext}
        />
      </div>
      {view.pointer ? (
        <div
          className="pointer"
          role="img"
          aria-label={t('viewer.pointer')}
          data-x={view.pointer.x.toFixed(3)}
          data-y={view.pointer.y.toFixed(3)}
          style={{
            left: left + view.pointer.x * width * s,
            top: top + view.pointer.y * height * s,
          }}
        />
      ) : null}
    </div>
  );
}
