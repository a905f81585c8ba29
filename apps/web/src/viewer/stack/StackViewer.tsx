import {
  useEffect,
  useRef,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  type WheelEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewState } from '@caunoi/shared';
import { Stage, type Tool } from '../Stage';
import { SliceSwipe, SliceTarget } from './sliceSwipe';
import type { StackView } from './useStack';

/** Wheel distance (px) per slice: one notch of a mouse wheel, several small trackpad moves. */
const WHEEL_STEP = 100;

/**
 * A stack on the stage: the shown slice (`children`, rendered like any DICOM image) or, while that
 * slice has not arrived, a loading placeholder of the stack's size — never a neighbour's image.
 * The wheel and the up/down keys move through the slices (caught before the stage's own zoom and
 * pan; Ctrl+wheel still zooms, left/right still pan); Page Up/Down jump ten, Home/End to the ends.
 * On a touch screen with the pan tool, one finger swiping up or down moves through the slices and
 * two fingers pan (`SliceSwipe`).
 */
export function StackViewer({
  stack,
  slice,
  view,
  interactive,
  tool,
  onView,
  label,
  go,
  children,
}: {
  stack: StackView;
  slice: number;
  view: ViewState;
  interactive: boolean;
  tool: Tool;
  onView: (v: ViewState) => void;
  label: string;
  go: (slice: number) => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const wheel = useRef(0);
  const swipe = useRef(new SliceSwipe());
  const target = useRef(new SliceTarget());
  useEffect(() => target.current.shown(slice), [slice]);
  const step = (d: number) => go(target.current.step(d, stack.count));
  // Only fingers with the pan tool: drawing, measuring and window/level keep one-finger drags.
  const swiping = (e: PointerEvent) => interactive && tool === 'pan' && e.pointerType === 'touch';

  function onTouchDown(e: PointerEvent) {
    if (!swiping(e) || !swipe.current.down(e.pointerId, e.clientY)) return;
    e.stopPropagation();
    // Held by this wrapper, which outlives the slice's canvas: the lift is never missed.
    e.currentTarget.setPointerCapture?.(e.pointerId);
  }
  function onTouchMove(e: PointerEvent) {
    if (!swiping(e)) return;
    const { own, steps } = swipe.current.move(e.pointerId, e.clientY);
    if (!own) return;
    e.stopPropagation();
    if (steps) step(steps);
  }
  function onTouchUp(e: PointerEvent) {
    if (e.pointerType === 'touch' && swipe.current.up(e.pointerId)) e.stopPropagation();
  }

  function onWheel(e: WheelEvent) {
    if (!interactive || e.ctrlKey || e.metaKey) return;
    e.stopPropagation();
    // Lines (Firefox) are one slice each; pixels accumulate to a notch.
    if (e.deltaMode === 1) return step(Math.sign(e.deltaY));
    wheel.current += e.deltaY;
    const steps = Math.trunc(wheel.current / WHEEL_STEP);
    if (!steps) return;
    wheel.current -= steps * WHEEL_STEP;
    step(steps);
  }

  function onKey(e: KeyboardEvent) {
    if (!interactive) return;
    const moves: Record<string, number> = {
      ArrowUp: -1,
      ArrowDown: 1,
      PageUp: -10,
      PageDown: 10,
      Home: -Infinity,
      End: Infinity,
    };
    const d = moves[e.key];
    if (d === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    step(d);
  }

  const size = stack.sample ?? { columns: 512, rows: 512 };
  return (
    <div
      className="stack-view"
      data-slice={slice}
      data-slice-state={stack.state}
      onWheelCapture={onWheel}
      onKeyDownCapture={onKey}
      onPointerDownCapture={onTouchDown}
      onPointerMoveCapture={onTouchMove}
      onPointerUpCapture={onTouchUp}
      onPointerCancelCapture={onTouchUp}
    >
      {stack.image ? (
        children
      ) : (
        <Stage
          width={size.columns}
          height={size.rows}
          view={view}
          interactive={interactive}
          tool={tool === 'windowLevel' ? 'pan' : tool}
          onView={onView}
          label={label}
        >
          <div
            className="stack-placeholder"
            style={{ width: size.columns, height: size.rows }}
            role={stack.state === 'failed' ? 'alert' : 'status'}
          >
            {stack.state === 'failed' ? (
              <>
                {t('viewer.sliceFailed', { slice: slice + 1 })}{' '}
                <button type="button" onClick={stack.retry}>
                  {t('viewer.retrySlice')}
                </button>
              </>
            ) : (
              t('viewer.sliceLoading', { slice: slice + 1 })
            )}
          </div>
        </Stage>
      )}
    </div>
  );
}
