import { useEffect, useState } from 'react';
import { COLLAB_CLIENT_EVENTS, COLLAB_SERVER_EVENTS } from '@caunoi/shared';
import { collabSocket, emitAck } from '../api/collab';
import { api } from '../api/endpoints';
import type { Shape } from '../viewer/Stage';
import { mergeByClientId } from './merge';

export interface SavedAnnotation {
  id?: string;
  clientId: string;
  attachmentId: string;
  page: number;
  shape: Shape;
}

/** Annotations of one attachment: loaded from the API, kept live from the gateway, drawn by anyone who drives. */
export function useAnnotations(sessionId: string, attachmentId: string | null) {
  const [items, setItems] = useState<SavedAnnotation[]>([]);
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
  const add = async (page: number, shape: Shape) => {
    if (!attachmentId) return;
    const a: SavedAnnotation = { clientId: crypto.randomUUID(), attachmentId, page, shape };
    setItems((prev) => mergeByClientId(prev, [a]));
    const saved = await emitAck<SavedAnnotation>(
      collabSocket(),
      COLLAB_CLIENT_EVENTS.annotationAdd,
      { sessionId, ...a },
    ).catch(() => null);
    if (saved) setItems((prev) => mergeByClientId(prev, [saved]));
  };
  return { items, add };
}
