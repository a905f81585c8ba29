import { useEffect, useMemo } from 'react';
import type { Attachment, ViewState } from '@caunoi/shared';
import type { Loaded } from '../loader';
import { clampSlice, stackOf, type StackSpec } from './stacks';
import { useStack, type StackView } from './useStack';

export interface StackDocument {
  spec: StackSpec;
  view: StackView;
  slice: number;
  /** The slice on screen, as the stage renders it; null while it is loading. */
  shown: Loaded | null;
  /** What the toolbar's window controls work from: the shown slice or, meanwhile, any loaded one. */
  toolbar: Loaded | null;
  go: (slice: number) => void;
}

/**
 * The shared viewer's side of a stack: the selected attachment's series (or frames), the slice
 * the view names, and moving it — through `change`, so the presenter's slice is everyone's.
 */
export function useStackDocument({
  selected,
  attachments,
  view,
  following,
  change,
}: {
  selected: Attachment | null;
  attachments: Attachment[];
  view: ViewState;
  following: boolean;
  change: (v: ViewState) => void;
}): StackDocument | null {
  const spec = useMemo(() => stackOf(selected, attachments), [selected, attachments]);
  const slice = spec ? clampSlice(view.slice, spec.slices.length) : 0;
  // Before the loader exists (first render) the stack is simply not loaded yet.
  const stack: StackView | null =
    useStack(spec, slice) ??
    (spec
      ? {
          image: null,
          state: 'loading',
          sample: null,
          fileWindows: [],
          loaded: 0,
          count: spec.slices.length,
          retry: () => undefined,
        }
      : null);
  const first = stack?.fileWindows[0] ?? stack?.sample?.window ?? null;
  useEffect(() => {
    // First opening by whoever drives: start from the file's own window, as for one image.
    if (first && !view.windowLevel && !following)
      change({ ...view, windowLevel: { center: first.center, width: first.width } });
  }, [first?.center, first?.width, spec?.anchorId]);
  if (!spec || !stack) return null;
  const asLoaded = (image: typeof stack.image): Loaded | null =>
    image ? { kind: 'dicom', image } : null;
  return {
    spec,
    view: stack,
    slice,
    shown: asLoaded(stack.image),
    toolbar: asLoaded(stack.image ?? stack.sample),
    go: (n) => {
      const next = clampSlice(n, spec.slices.length);
      if (next !== slice) change({ ...view, slice: next });
    },
  };
}
