import { useEffect, useRef, useState } from 'react';
import { fetchBlob } from '../../api/client';
import { openDicom, type DicomImage, type VoiWindow } from '../dicom';
import { StackLoader } from './stackLoader';
import type { StackSpec } from './stacks';

export interface StackView {
  /** The slice on screen, null while it is not loaded yet (never another slice's image). */
  image: DicomImage | null;
  state: 'idle' | 'loading' | 'ready' | 'failed';
  /** Some loaded slice: its size and window stand for the stack's until the shown one arrives. */
  sample: DicomImage | null;
  /** The VOI windows the first opened file carries (offered as presets). */
  fileWindows: VoiWindow[];
  loaded: number;
  count: number;
  retry: () => void;
}

const keyOf = (spec: StackSpec | null) =>
  spec ? `${spec.anchorId}:${spec.slices.length}:${spec.slices.at(-1)!.attachmentId}` : '';

/** Loads a stack in the background (StackLoader) and re-renders as slices arrive. */
export function useStack(spec: StackSpec | null, slice: number): StackView | null {
  const [, setVersion] = useState(0);
  const loader = useRef<StackLoader | null>(null);
  const sample = useRef<DicomImage | null>(null);
  const key = keyOf(spec);
  useEffect(() => {
    if (!spec) return;
    let frame: ReturnType<typeof setTimeout> | null = null;
    // One re-render per batch of arrivals, not one per slice.
    const changed = () => {
      frame ??= setTimeout(() => {
        frame = null;
        setVersion((v) => v + 1);
      }, 50);
    };
    const l = new StackLoader(
      spec.slices,
      async (id) => (await fetchBlob(`/attachments/${id}/content`)).arrayBuffer(),
      (bytes) => openDicom(bytes),
      changed,
    );
    loader.current = l;
    sample.current = null;
    setVersion((v) => v + 1);
    return () => {
      if (frame) clearTimeout(frame);
      l.dispose();
      loader.current = null;
    };
  }, [key]);
  useEffect(() => {
    loader.current?.focus(slice);
  }, [slice, key]);

  const l = loader.current;
  if (!spec || !l) return null;
  const image = l.image(slice);
  if (image) sample.current = image;
  if (!sample.current)
    for (let i = 0; i < l.count && !sample.current; i++) sample.current = l.image(i);
  return {
    image,
    state: l.state(slice),
    sample: sample.current,
    fileWindows: l.header?.windows ?? [],
    loaded: l.loaded,
    count: l.count,
    retry: () => l.retry(slice),
  };
}
