import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useEffect } from 'react';

function ErrorPage({ code, title, body }: { code: number; title: string; body: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${code} · Cầu Nối`;
  }, [code]);
  return (
    <section className="page error-page" aria-labelledby="error-title">
      <p className="error-code" aria-hidden="true">
        {code}
      </p>
      <h1 id="error-title">{title}</h1>
      <p>{body}</p>
      <Link to="/">{t('errors.backHome')}</Link>
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <ErrorPage code={404} title={t('errors.notFoundTitle')} body={t('errors.notFoundBody')} />;
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <ErrorPage code={403} title={t('errors.forbiddenTitle')} body={t('errors.forbiddenBody')} />
  );
}
