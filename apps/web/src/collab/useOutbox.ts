import { useEffect, useMemo, useRef, useState } from 'react';
import { getAuth } from '../api/client';
import { sessionOutbox, type OutboxEvent, type OutboxItem, type OutboxKind } from './outbox';

/**
 * The signed-in user's outbox for one session, with its items of one kind as React state, and
 * `onEvent` told of every delivery or refusal.
 */
export function useSessionOutbox(
  sessionId: string,
  kind: OutboxKind,
  onEvent?: (e: OutboxEvent) => void,
) {
  const userId = getAuth()?.user.id ?? 'anonymous';
  const outbox = useMemo(() => sessionOutbox(userId, sessionId), [userId, sessionId]);
  const [items, setItems] = useState<OutboxItem[]>(() => outbox.list(kind));
  const [waiting, setWaiting] = useState(outbox.isWaiting);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    setItems(outbox.list(kind));
    return outbox.subscribe((e) => {
      setItems(e.items.filter((i) => i.kind === kind));
      setWaiting(e.waiting);
      const item = e.delivered ?? e.refused?.item;
      if (item?.kind === kind) handler.current?.(e);
    });
  }, [outbox, kind]);
  return { outbox, items, waiting };
}
