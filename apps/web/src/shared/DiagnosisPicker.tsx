import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Diagnosis, Icd10Entry } from '@caunoi/shared';
import { api } from '../api/endpoints';

/**
 * ICD-10 diagnoses of a conclusion: search the catalogue by code or name (accent-free typing
 * works), add, mark the main one, remove. Works with the keyboard alone.
 */
export function DiagnosisPicker({
  value,
  onChange,
  readOnly,
}: {
  value: Diagnosis[];
  onChange: (next: Diagnosis[]) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Icd10Entry[]>([]);

  useEffect(() => {
    const query = q.trim();
    if (query.length < 2) {
      setFound([]);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      api
        .icd10(query)
        .then((r) => alive && setFound(r))
        .catch(() => alive && setFound([]));
    }, 250);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [q]);

  const add = (e: Icd10Entry) => {
    if (!value.some((d) => d.code === e.code))
      onChange([...value, { code: e.code, name: e.nameVi, primary: value.length === 0 }]);
    setQ('');
  };

  return (
    <fieldset className="diagnoses">
      <legend>{t('minutes.diagnoses')}</legend>
      {value.length === 0 ? <p className="muted small">{t('minutes.diagnosisNone')}</p> : null}
      <ul className="diagnosis-list">
        {value.map((d) => (
          <li key={d.code}>
            <code>{d.code}</code> {d.name}
            <label className="inline">
              <input
                type="radio"
                name="primary-diagnosis"
                checked={d.primary}
                disabled={readOnly}
                onChange={() => onChange(value.map((x) => ({ ...x, primary: x.code === d.code })))}
              />
              {t('minutes.diagnosisPrimary')}
            </label>
            {!readOnly ? (
              <button
                type="button"
                aria-label={t('minutes.diagnosisRemove', { code: d.code })}
                onClick={() => onChange(value.filter((x) => x.code !== d.code))}
              >
                ×
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {!readOnly ? (
        <>
          <input
            type="search"
            value={q}
            aria-label={t('minutes.diagnosisSearch')}
            placeholder={t('minutes.diagnosisSearch')}
            onChange={(e) => setQ(e.target.value)}
          />
          {q.trim().length >= 2 && found.length === 0 ? (
            <p className="muted small">{t('minutes.diagnosisNoMatch')}</p>
          ) : null}
          <ul className="diagnosis-results">
            {found.map((e) => (
              <li key={e.code}>
                <button
                  type="button"
                  aria-label={t('minutes.diagnosisAdd', { code: e.code, name: e.nameVi })}
                  onClick={() => add(e)}
                >
                  <code>{e.code}</code> {e.nameVi}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </fieldset>
  );
}
