import { useEffect, useRef, useState, type ReactNode, type PointerEvent as RPointerEvent, type KeyboardEvent, type WheelEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewState } from '@caunoi/shared';

export type Tool = 'pan' | 'windowLevel';

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
}: {
  width: number;
  height: number;
  view: ViewState;
  interactive: boolean;
  tool: Tool;
  onView: (v: ViewState) => void;
  children: ReactNode;
  label: string;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 600, h: 400 });
  const drag = useRef<{ x: number; y: number; view: ViewState } | null>(null);

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
    drag.current = { x: e.clientX, y: e.clientY, view };
  }

  function onPointerMove(e: RPointerEvent) {
    if (!interactive) return;
    const d = drag.current;
    const pointer = toContent(e);
    if (!d) {
      onView({ ...view, pointer });
      return;
    }
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (tool === 'windowLevel' && d.view.windowLevel) {
      onView({
        ...d.view,
        pointer,
        windowLevel: { width: Math.max(1, Math.round(d.view.windowLevel.width + dx * 4)), center: Math.round(d.view.windowLevel.center + dy * 2) },
      });
    } else {
      onView({ ...d.view, pointer, pan: { x: d.view.pan.x - dx / s, y: d.view.pan.y - dy / s } });
    }
  }

  function onPointerUp() {
    drag.current = null;
  }

  function onWheel(e: WheelEvent) {
    if (!interactive) return;
    const factor = e.deltaY < 0 ? 1.15 : 1 / 1.15;
    onView({ ...view, zoom: Math.min(40, Math.max(0.05, view.zoom * factor)) });
  }

  function onKey(e: KeyboardEvent) {
    if (!interactive) return;
    const step = 40 / s;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      e.preventDefault();
      onView({ ...view, pan: { x: view.pan.x + moves[e.key][0], y: view.pan.y + moves[e.key][1] } });
    } else if (e.key === '+' || e.key === '=') onView({ ...view, zoom: Math.min(40, view.zoom * 1.2) });
    else if (e.key === '-') onView({ ...view, zoom: Math.max(0.05, view.zoom / 1.2) });
  }

  return (
    <div
      ref={box}
      className={`stage${interactive ? ' interactive' : ''} tool-${tool}`}
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
      <div className="stage-content" style={{ width, height, transform: `translate(${left}px, ${top}px) scale(${s})` }}>
        {children}
      </div>
      {view.pointer ? (
        <div
          className="pointer"
          role="img"
          aria-label={t('viewer.pointer')}
          data-x={view.pointer.x.toFixed(3)}
          data-y={view.pointer.y.toFixed(3)}
          style={{ left: left + view.pointer.x * width * s, top: top + view.pointer.y * height * s }}
        />
      ) : null}
    </div>
  );
}
