import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  COLLAB_CLIENT_EVENTS,
  COLLAB_SERVER_EVENTS,
  type ChatMessage,
  type PresenceEntry,
  type PresenceEvent,
  type PresenterEvent,
  type SessionEnterAck,
  type SharedViewEvent,
  type ViewState,
} from '@caunoi/shared';
import { collabLink, collabSocket, emitAck, onCollabLink } from '../api/collab';
import { clampView, throttle } from '../viewer/viewSync';
import { mergeByClientId } from './merge';
import { outcomeOfError, UNAVAILABLE_RETRY_MS, type Sender } from './outbox';
import { useSessionOutbox } from './useOutbox';

export type CollabState = 'connecting' | 'connected' | 'reconnecting';

/**
 * The collaboration plane of one session: presence, chat and the shared view (presenter and what
 * they show). Chat lines and annotations go through the session's outbox: kept across reconnects
 * and reloads, sent once the room is entered again, paced, stored once (by clientId).
 * `unavailable` is true while the server cannot be reached or answers that it cannot serve.
 */
export function useSessionCollab(sessionId: string, enabled: boolean) {
  const [state, setState] = useState<CollabState>('connecting');
  const [presence, setPresence] = useState<PresenceEntry[]>([]);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [view, setView] = useState<ViewState | null>(null);
  const [presenterId, setPresenterId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [link, setLink] = useState(collabLink);
  useEffect(() => onCollabLink(setLink), []);

  const addMessage = useCallback((m: ChatMessage) => {
    setMessages((prev) =>
      mergeByClientId(prev, [m]).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    );
  }, []);
  const chat = useSessionOutbox(sessionId, 'chat', (e) => {
    if (e.delivered && e.result) addMessage(e.result as ChatMessage);
    if (e.refused) setError(Object.assign(new Error(e.refused.code), { code: e.refused.code }));
  });
  const outbox = chat.outbox;
  const pending = useMemo(
    () => chat.items.map((i) => ({ clientId: i.clientId, text: String(i.payload.text ?? '') })),
    [chat.items],
  );

  useEffect(() => {
    if (!enabled) return;
    const socket = collabSocket();
    let alive = true;
    const enter = async () => {
      try {
        const data = await emitAck<SessionEnterAck>(socket, COLLAB_CLIENT_EVENTS.enter, {
          sessionId,
        });
        if (!alive) return;
        setState('connected');
        setError(null);
        setPresence(data.presence);
        if (data.view) setView(data.view);
        setPresenterId(data.presenterId);
        data.messages.forEach(addMessage);
        // In the room again: what did not get through goes now, paced, in order.
        outbox.attach(send);
      } catch (err) {
        if (!alive) return;
        setError(err);
        // The server is up but cannot serve (database down…): enter again shortly.
        if (outcomeOfError(err).retry)
          setTimeout(() => alive && socket.connected && void enter(), UNAVAILABLE_RETRY_MS);
      }
    };
    const send: Sender = async (item) => {
      const event =
        item.kind === 'chat' ? COLLAB_CLIENT_EVENTS.chatSend : COLLAB_CLIENT_EVENTS.annotationAdd;
      const result = await emitAck(socket, event, {
        sessionId,
        clientId: item.clientId,
        ...item.payload,
      });
      return { ok: true, result };
    };
    const onConnect = () => void enter();
    const onDisconnect = () => {
      outbox.detach();
      setState('reconnecting');
    };
    const onPresence = (e: PresenceEvent) => {
      if (e.sessionId === sessionId) setPresence(e.entries);
    };
    const onChat = (m: ChatMessage) => {
      if (!m.sessionId || m.sessionId === sessionId) addMessage(m);
    };
    const onView = (e: SharedViewEvent) => {
      if (e.sessionId !== sessionId) return;
      if (e.view) setView(e.view);
      setPresenterId(e.presenterId);
    };
    const onPresenter = (e: PresenterEvent) => {
      if (e.sessionId === sessionId) setPresenterId(e.presenterId);
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
      outbox.detach();
      socket.emit(COLLAB_CLIENT_EVENTS.leave, { sessionId }, () => undefined);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off(COLLAB_SERVER_EVENTS.presence, onPresence);
      socket.off(COLLAB_SERVER_EVENTS.chatMessage, onChat);
      socket.off(COLLAB_SERVER_EVENTS.view, onView);
      socket.off(COLLAB_SERVER_EVENTS.presenter, onPresenter);
    };
  }, [sessionId, enabled, addMessage, outbox]);

  const sendChat = useCallback(
    (text: string) => {
      outbox.add('chat', crypto.randomUUID(), { text });
    },
    [outbox],
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
    unavailable: link === 'retrying' || chat.waiting,
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
