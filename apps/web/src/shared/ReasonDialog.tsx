import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A modal asking for the reason a transition needs (decline, cancel). */
export function ReasonDialog({
  title,
  onConfirm,
  onCancel,
}: {
  title: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const valid = reason.trim().length >= 3;
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="reason-title" onCancel={onCancel} className="card">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onConfirm(reason.trim());
        }}
      >
        <h2 id="reason-title">{title}</h2>
        <label>
          {t('common.reason')}
          <textarea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            minLength={3}
            autoFocus
          />
        </label>
        {!valid && reason.length > 0 ? (
          <p className="field-error">{t('common.reasonTooShort')}</p>
        ) : null}
        <div className="row">
          <button type="button" onClick={onCancel}>
            {t('common.back')}
          </button>
          <button type="submit" className="primary" disabled={!valid}>
            {t('common.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
