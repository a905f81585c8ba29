import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ConsultationStatus, Urgency } from '@caunoi/shared';
import { ApiRequestError } from '../api/client';

/** A clinician-readable message for any failure. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiRequestError) {
    const known = [0, 400, 401, 403, 404, 409, 413, 415, 429, 500, 502];
    const base = t(`errors.http.${known.includes(err.status) ? err.status : 'other'}`);
    return err.message && err.status !== 0 && err.status !== 502 ? `${base} ${err.message}` : base;
  }
  return t('errors.unexpected');
}

export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {errorText(t, error)}
    </p>
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

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
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
