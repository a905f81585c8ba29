import { useState } from 'react';
import { ApiRequestError } from '../../api/client';
import { useLoad } from '../../app/ui';

/**
 * One optional setting of a facility edited in its own form under the facility (its PACS, its
 * DICOM inbox, its machine reader): loaded once (a 404 means "none yet"), edited in a draft
 * that starts from what is stored, and replaced by what the server answers after a save or a
 * removal, with a notice saying so.
 */
export function useFacilitySetting<T, F>(
  facilityId: string,
  load: (facilityId: string) => Promise<T>,
  formOf: (stored: T | null) => F,
) {
  const stored = useLoad(
    () =>
      load(facilityId).catch((err) => {
        if (err instanceof ApiRequestError && err.status === 404) return null;
        throw err;
      }),
    [facilityId],
  );
  const current: T | null = stored.data ?? null;
  const [draft, setDraft] = useState<F | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = draft ?? formOf(current);
  return {
    stored,
    current,
    form,
    notice,
    setNotice,
    edit: (patch: Partial<F>) => setDraft({ ...form, ...patch }),
    /** The server's answer is now what is stored; the form shows it again. */
    settle: (value: T | null, message: string) => {
      stored.setData(value);
      setDraft(null);
      setNotice(message);
    },
  };
}

/** The confirmation after a save or a removal. */
export function SettingNotice({ notice }: { notice: string | null }) {
  return notice ? (
    <p role="status" className="success">
      {notice}
    </p>
  ) : null;
}
