import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultationDetail } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { useAuth } from '../../app/auth';
import { ErrorMessage, useLoad } from '../../app/ui';
import { MinutesEditor } from '../../shared/MinutesEditor';

/**
 * Who answers the request: the target coordinator assigns specialists of the consulting facility;
 * for a written consultation the assigned specialists write the opinion here, without a meeting.
 */
export function AssignmentPanel({
  consultation: con,
  onChange,
}: {
  consultation: ConsultationDetail;
  onChange: (next: ConsultationDetail) => void;
}) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const specialists = useLoad(
    () =>
      con.mayAssign
        ? api.users({ role: 'specialist', facilityId: con.targetFacilityId })
        : Promise.resolve([]),
    [con.mayAssign, con.targetFacilityId],
  );
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const assignedIds = new Set(con.assigned.map((a) => a.id));
  // Kept after signing, so the author sees the signature and can open the minutes.
  const writing =
    con.mode === 'written' &&
    ['in_progress', 'completed'].includes(con.status) &&
    !!user &&
    assignedIds.has(user.id);

  async function assign() {
    setBusy(true);
    setError(null);
    try {
      onChange(await api.assign(con.id, { specialistIds: picked }));
      setPicked([]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (!con.mayAssign && con.assigned.length === 0) return null;
  return (
    <section className="card" aria-labelledby="assigned-title">
      <h2 id="assigned-title">{t('consultations.assigned')}</h2>
      <ul aria-label={t('consultations.assigned')}>
        {con.assigned.map((a) => (
          <li key={a.id}>{a.fullName}</li>
        ))}
        {con.assigned.length === 0 ? (
          <li className="muted">{t('consultations.assignNone')}</li>
        ) : null}
      </ul>
      {con.mayAssign ? (
        <fieldset>
          <legend>{t('consultations.assignPick')}</legend>
          {(specialists.data ?? [])
            .filter((s) => !assignedIds.has(s.id))
            .map((s) => (
              <label key={s.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={picked.includes(s.id)}
                  onChange={(e) =>
                    setPicked(
                      e.target.checked ? [...picked, s.id] : picked.filter((x) => x !== s.id),
                    )
                  }
                />
                {s.fullName}
              </label>
            ))}
          <button
            type="button"
            className="primary"
            disabled={!picked.length || busy}
            onClick={() => void assign()}
          >
            {t('consultations.assign')}
          </button>
          <ErrorMessage error={error} />
        </fieldset>
      ) : null}
      {writing ? (
        <>
          <h3>{t('consultations.writtenAnswer')}</h3>
          <p className="muted small">{t('consultations.writtenHint')}</p>
          <MinutesEditor
            consultationId={con.id}
            participants={con.assigned}
            selfId={user!.id}
            onSigned={() => void api.consultation(con.id).then(onChange)}
          />
        </>
      ) : null}
    </section>
  );
}
