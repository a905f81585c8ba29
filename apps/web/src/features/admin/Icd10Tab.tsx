import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Icd10ImportResult } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { ErrorMessage } from '../../app/ui';

/** The ICD-10 catalogue: an admin imports the Ministry's list from a CSV file. */
export function Icd10Tab() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Icd10ImportResult | null>(null);

  async function importFile() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.importIcd10(await file.text()));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="stack">
      <p className="muted">{t('admin.icd10.intro')}</p>
      <label>
        {t('admin.icd10.file')}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!file || busy}
          onClick={() => void importFile()}
        >
          {t('admin.icd10.import')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {result ? (
        <div role="status">
          <p className="success">
            {t('admin.icd10.result', {
              imported: result.imported,
              updated: result.updated,
              rejected: result.rejected.length,
            })}
          </p>
          <ul className="small">
            {result.rejected.slice(0, 20).map((r) => (
              <li key={r.line}>{t('admin.icd10.rejectedLine', r)}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
