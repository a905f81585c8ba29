import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '@caunoi/shared';
import { formatTime } from '../../i18n/format';

export function ChatPanel({
  messages,
  pending,
  selfId,
  onSend,
}: {
  messages: ChatMessage[];
  pending: Array<{ clientId: string; text: string }>;
  selfId: string;
  onSend: (text: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [messages.length, pending.length]);
  return (
    <section className="chat" aria-label={t('chat.title')}>
      <ol className="chat-log" aria-label={t('chat.log')} aria-live="polite">
        {messages.map((m) => (
          <li key={m.id} className={m.authorId === selfId ? 'mine' : undefined}>
            <span className="chat-meta">
              <strong>{m.authorName}</strong> · {formatTime(m.createdAt, i18n.language)}
            </span>
            <span className="chat-text">{m.text}</span>
          </li>
        ))}
        {pending
          .filter((p) => !messages.some((m) => m.clientId === p.clientId))
          .map((p) => (
            <li key={p.clientId} className="mine pending">
              <span className="chat-meta">{t('chat.sending')}</span>
              <span className="chat-text">{p.text}</span>
            </li>
          ))}
        <li ref={end} aria-hidden="true" className="chat-end" />
      </ol>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const v = text.trim();
          if (!v) return;
          onSend(v);
          setText('');
        }}
      >
        <label className="grow">
          <span className="sr-only">{t('chat.message')}</span>
          <input
            aria-label={t('chat.message')}
            value={text}
            maxLength={4000}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('chat.placeholder')}
          />
        </label>
        <button type="submit">{t('chat.send')}</button>
      </form>
    </section>
  );
}
