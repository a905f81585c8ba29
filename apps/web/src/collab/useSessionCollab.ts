import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  COLLAB_CLIENT_EVENTS,
  COLLAB_SERVER_EVENTS,
  type ChatMessage,
  type PresenceEntry,
  type ViewState,
} from '@caunoi/shared';
import { collabSocket, emitAck } from '../api/collab';
import { api } from '../api/endpoints';
import { clampView, throttle, unwrapView } from '../viewer/viewSync';

export type CollabState = 'connecting' | 'connected' | 'reconnecting';

function uuid(): string {
  return crypto.randomUUID();
}

function presenceList(payload: unknown): PresenceEntry[] {
  if (Array.isArray(payload)) return payload as PresenceEntry[];
  const p = payload as { entries?: unknown; participants?: unknown; presence?: unknown } | null;
  for (const v of [p?.entries, p?.participants, p?.presence])
    if (Array.isArray(v)) return v as PresenceEntry[];
  return [];
}

/**
 * The collaboration plane of one session: presence, chat (with resend after reconnect, deduplicated
 * by clientId) and the shared view (presenter and what they show).
 */
export function useSessionCollab(sessionId: string, enabled: boolean) {
  const [state, setState] = useState<CollabState>('connecting');
  const [presence, setPresence] = useState<PresenceEntry[]>([]);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [pending, setPending] = useState<Array<{ clientId: string; text: string }>>([]);
  const [view, setView] = useState<ViewState | null>(null);
  const [presenterId, setPresenterId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  const addMessage = useCallback((m: ChatMessage) => {
    setMessages((prev) =>
      prev.some((x) => x.id === m.id || (m.clientId && x.clientId === m.clientId))
        ? prev
        : [...prev, m].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    );
    setPending((prev) => prev.filter((p) => p.clientId !== m.clientId));
  }, []);

  useEffect(() => {
    if (!enabled) return;
    const socket = collabSocket();
    let alive = true;
    const enter = async () => {
      try {
        const data = await emitAck<
          | {
              presence?: unknown;
              view?: unknown;
              presenterId?: string | null;
              messages?: ChatMessage[];
            }
          | undefined
        >(socket, COLLAB_CLIENT_EVENTS.enter, { sessionId });
        if (!alive) return;
        setState('connected');
        setError(null);
        if (data?.presence) setPresence(presenceList(data.presence));
        if (data?.view) {
          const u = unwrapView(data.view);
          if (u.view) setView(u.view);
        }
        if (data && 'presenterId' in data) setPresenterId(data.presenterId ?? null);
        const history = data?.messages ?? (await api.messages(sessionId).catch(() => []));
        history.forEach(addMessage);
        // Resend what did not get through before the link dropped; the server stores it once.
        for (const p of pendingRef.current) {
          emitAck<ChatMessage>(socket, COLLAB_CLIENT_EVENTS.chatSend, {
            sessionId,
            clientId: p.clientId,
            text: p.text,
          })
            .then(addMessage)
            .catch(() => undefined);
        }
      } catch (err) {
        if (alive) setError(err);
      }
    };
    const onConnect = () => void enter();
    const onDisconnect = () => setState('reconnecting');
    const onPresence = (p: unknown) => {
      const list = presenceList(p);
      if (list.length || Array.isArray(p)) setPresence(list);
    };
    const onChat = (m: ChatMessage) => {
      if (!m.sessionId || m.sessionId === sessionId) addMessage(m);
    };
    const onView = (p: unknown) => {
      const u = unwrapView(p);
      if (
        (p as { sessionId?: string })?.sessionId &&
        (p as { sessionId?: string }).sessionId !== sessionId
      )
        return;
      if (u.view) setView(u.view);
      if (u.presenterId !== undefined) setPresenterId(u.presenterId);
    };
    const onPresenter = (
      p: { presenterId?: string | null; sessionId?: string } | string | null,
    ) => {
      if (p && typeof p === 'object') {
        if (p.sessionId && p.sessionId !== sessionId) return;
        setPresenterId(p.presenterId ?? null);
      } else setPresenterId(p ?? null);
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on(COLLAB_SERVER_EVENTS.presence, onPresence);
    socket.on(COLLAB_SERVER_EVENTS.chatMessage, onChat);
    socket.on(COLLAB_SERVER_EVENTS.view, onView);
    socket.on(COLLAB_SERVER_EVENTS.presenter, onPresenter);
    if (socket.connected) void enter();
    return () => {
      alive = false;
      socket.emit(COLLAB_CLIENT_EVENTS.leave, { sessionId }, () => undefined);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off(COLLAB_SERVER_EVENTS.presence, onPresence);
      socket.off(COLLAB_SERVER_EVENTS.chatMessage, onChat);
      socket.off(COLLAB_SERVER_EVENTS.view, onView);
      socket.off(COLLAB_SERVER_EVENTS.presenter, onPresenter);
    };
  }, [sessionId, enabled, addMessage]);

  const sendChat = useCallback(
    async (text: string) => {
      const clientId = uuid();
      setPending((prev) => [...prev, { clientId, text }]);
      try {
        const m = await emitAck<ChatMessage>(collabSocket(), COLLAB_CLIENT_EVENTS.chatSend, {
          sessionId,
          clientId,
          text,
        });
        if (m) addMessage(m);
      } catch {
        /* stays pending; resent on reconnect */
      }
    },
    [sessionId, addMessage],
  );

  const sender = useMemo(
    () =>
      throttle<ViewState>((v) => {
        emitAck(collabSocket(), COLLAB_CLIENT_EVENTS.viewUpdate, {
          sessionId,
          view: clampView(v),
        }).catch(() => undefined);
      }, 70),
    [sessionId],
  );
  useEffect(() => () => sender.cancel(), [sender]);

  const publishView = useCallback(
    (v: ViewState) => {
      setView(v);
      sender.push(v);
    },
    [sender],
  );

  const setPresenter = useCallback(
    async (id: string | null) => {
      await emitAck(collabSocket(), COLLAB_CLIENT_EVENTS.presenterSet, {
        sessionId,
        presenterId: id,
      });
      setPresenterId(id);
    },
    [sessionId],
  );

  return {
    state,
    presence,
    messages,
    pending,
    view,
    presenterId,
    error,
    sendChat,
    publishView,
    setPresenter,
    setLocalView: setView,
  };
}
