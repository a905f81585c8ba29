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

type ListEditFlow<T> = ReturnType<typeof useListEdit<T>>;

/**
 * A list-edit tab: the table of items (each row with its edit button) on the left; on the right
 * the saved notice and the edit form of the picked item, or else the create form.
 */
export function ListEdit<T extends { id: string }>({
  label,
  flow,
  items,
  columns,
  cells,
  editLabel,
  notices,
  editor,
  creator,
}: {
  /** The table's accessible name. */
  label: string;
  flow: ListEditFlow<T>;
  items: T[];
  columns: string[];
  /** One cell per column, the edit button's cell excepted. */
  cells: (item: T) => ReactNode[];
  editLabel: (item: T) => string;
  /** Loading and error notices above the table. */
  notices: ReactNode;
  editor: (item: T) => ReactNode;
  creator: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="two-col">
      <div>
        {notices}
        <table aria-label={label}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} aria-selected={flow.editing?.id === item.id}>
                {cells(item).map((cell, i) => (
                  <td key={i}>{cell}</td>
                ))}
                <td>
                  <button
                    type="button"
                    onClick={() => flow.edit(item)}
                    aria-label={editLabel(item)}
                  >
                    {t('common.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        {flow.saved ? (
          <p role="status" className="success">
            {t('admin.saved', { name: flow.saved })}
          </p>
        ) : null}
        {flow.editing ? editor(flow.editing) : creator}
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
