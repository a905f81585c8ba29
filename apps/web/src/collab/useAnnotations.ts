import { useEffect, useMemo, useState } from 'react';
import { COLLAB_SERVER_EVENTS } from '@caunoi/shared';
import { collabSocket } from '../api/collab';
import { api } from '../api/endpoints';
import type { Shape } from '../viewer/Stage';
import { mergeByClientId } from './merge';
import { useSessionOutbox } from './useOutbox';

export interface SavedAnnotation {
  id?: string;
  clientId: string;
  attachmentId: string;
  page: number;
  shape: Shape;
}

/**
 * Annotations of one attachment: loaded from the API, kept live from the gateway, drawn by anyone
 * who drives. New ones go through the session's outbox (kept across reconnects and reloads) and
 * show at once.
 */
export function useAnnotations(sessionId: string, attachmentId: string | null) {
  const [items, setItems] = useState<SavedAnnotation[]>([]);
  const { outbox, items: queued } = useSessionOutbox(sessionId, 'annotation', (e) => {
    const saved = e.delivered && (e.result as SavedAnnotation | null);
    if (saved && saved.attachmentId === attachmentId)
      setItems((prev) => mergeByClientId(prev, [saved]));
  });
  useEffect(() => {
    setItems([]);
    if (!attachmentId || !sessionId) return;
    let alive = true;
    api
      .annotations(sessionId, attachmentId)
      .then((list) => alive && setItems((prev) => mergeByClientId(prev, list as SavedAnnotation[])))
      .catch(() => undefined);
    const socket = collabSocket();
    const on = (a: SavedAnnotation) => {
      if (a.attachmentId === attachmentId) setItems((prev) => mergeByClientId(prev, [a]));
    };
    socket.on(COLLAB_SERVER_EVENTS.annotation, on);
    return () => {
      alive = false;
      socket.off(COLLAB_SERVER_EVENTS.annotation, on);
    };
  }, [sessionId, attachmentId]);
  const pending = useMemo(
    () =>
      queued
        .map((i) => ({ clientId: i.clientId, ...i.payload }) as SavedAnnotation)
        .filter((a) => a.attachmentId === attachmentId),
    [queued, attachmentId],
  );
  const add = (page: number, shape: Shape) => {
    if (!attachmentId) return;
    outbox.add('annotation', crypto.randomUUID(), { attachmentId, page, shape });
  };
  return { items: mergeByClientId(items, pending), add };
}
