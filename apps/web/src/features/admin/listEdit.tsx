import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A form's submit: clears the last error, runs the action, keeps its error for the fields and
 * the message below the form, and disables the submit button while it runs.
 */
export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, onSubmit };
}

/**
 * The list-edit flow the administration tabs share: a list whose rows can be picked for
 * editing (or acted on directly), a create form while nothing is picked, and a "saved" notice
 * after either form succeeds.
 */
export function useListEdit<T>(reload: () => Promise<void>) {
  const [editing, setEditing] = useState<T | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  return {
    editing,
    saved,
    /** Error of an action taken on a row of the list (not of a form). */
    error,
    edit(item: T) {
      setSaved(null);
      setEditing(item);
    },
    close() {
      setEditing(null);
    },
    /** A form saved `name`: close the editor, say so, reload the list. */
    async done(name: string) {
      setEditing(null);
      setSaved(name);
      await reload();
    },
    /** An action on a row: its error shows above the list; the list reloads after success. */
    async run(action: () => Promise<unknown>) {
      setError(null);
      try {
        await action();
        await reload();
      } catch (x) {
        setError(x);
      }
    },
  };
}

/** List on the left; on the right the saved notice and the edit form or else the create form. */
export function ListEditLayout({
  list,
  saved,
  editor,
  creator,
}: {
  list: ReactNode;
  saved: string | null;
  editor: ReactNode | null;
  creator: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="two-col">
      <div>{list}</div>
      <div>
        {saved ? (
          <p role="status" className="success">
            {t('admin.saved', { name: saved })}
          </p>
        ) : null}
        {editor ?? creator}
      </div>
    </div>
  );
}

/** Back and save buttons under an edit form. */
export function EditActions({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="row">
      <button type="button" onClick={onCancel}>
        {t('common.back')}
      </button>
      <button type="submit" className="primary" disabled={busy}>
        {t('common.save')}
      </button>
    </div>
  );
}
