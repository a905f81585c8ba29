import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ConsultationStatus, Urgency } from '@caunoi/shared';
import { describeError, fieldErrorKey } from './errors';

/** A clinician-readable message for any failure (localized; never the server's own text). */
export function errorText(t: TFunction, err: unknown): string {
  const d = describeError(err);
  return t(d.key, d.params);
}

/**
 * The localized message for a failure; field problems not shown next to their fields (`fieldsShown`)
 * are listed under it; the server's text sits in a collapsed "details" for support staff.
 */
export function ErrorMessage({
  error,
  fieldsShown = [],
  lead,
}: {
  error: unknown;
  fieldsShown?: readonly string[];
  lead?: string;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const d = describeError(error);
  const rest = d.fields.filter((f) => !fieldsShown.includes(f.field));
  return (
    <div role="alert" className="error-box">
      <p className="error">
        {lead ? `${lead} ` : null}
        {t(d.key, d.params)}
      </p>
      {rest.length ? (
        <ul className="error-fields">
          {rest.map((f) => (
            <li key={f.field}>{t(f.key)}</li>
          ))}
        </ul>
      ) : null}
      {d.serverText ? (
        <details className="error-details">
          <summary>{t('errors.details')}</summary>
          <code>{d.serverText}</code>
        </details>
      ) : null}
    </div>
  );
}

/** A field's own message from a server error (next to the input); `id` for aria-describedby. */
export function FieldError({ error, field, id }: { error: unknown; field: string; id?: string }) {
  const { t } = useTranslation();
  const key = error ? fieldErrorKey(error, field) : null;
  if (!key) return null;
  return (
    <span className="field-error" id={id}>
      {t(key)}
    </span>
  );
}

export function StatusBadge({ status }: { status: ConsultationStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation();
  return <span className={`badge urgency-${urgency}`}>{t(`urgency.${urgency}`)}</span>;
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/** Run an async loader; reload() re-runs the latest loader (never a stale one). */
export function useLoad<T>(loader: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const latest = useRef(loader);
  latest.current = loader;
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const v = await latest.current();
      if (mine === seq.current) {
        setData(v);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(e);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, deps);
  return { data, error, loading, reload, setData };
}

export function Page({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Cầu Nối`;
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}
