import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';

/** The collaboration contract's limit for a text annotation. */
const NOTE_MAX = 500;

/**
 * The text of a note placed on the image: Enter sends, Esc discards. The spot is set on the
 * stage (click, or Enter on the focused viewer), which then moves focus here.
 */
export function NoteForm({
  at,
  text,
  onText,
  onSend,
  onDiscard,
  input,
}: {
  at: { x: number; y: number } | null;
  text: string;
  onText: (s: string) => void;
  onSend: (at: { x: number; y: number }, text: string) => void;
  onDiscard: () => void;
  input: RefObject<HTMLInputElement | null>;
}) {
  const { t } = useTranslation();
  return (
    <form
      className="note-form row wrap"
      aria-label={t('viewer.note.form')}
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = text.trim();
        if (at && trimmed) onSend(at, trimmed);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDiscard();
      }}
    >
      <label className="inline-label grow">
        {t('viewer.note.text')}
        <input
          ref={input}
          value={text}
          maxLength={NOTE_MAX}
          onChange={(e) => onText(e.target.value)}
        />
      </label>
      <button type="submit" disabled={!at || !text.trim()}>
        {t('viewer.note.add')}
      </button>
      <span className="muted small" aria-live="polite">
        {at
          ? t('viewer.note.placed', { x: Math.round(at.x * 100), y: Math.round(at.y * 100) })
          : t('viewer.note.howToPlace')}
      </span>
    </form>
  );
}
