import { useEffect, useRef, useState } from 'react';
import type { PacsImport } from '@caunoi/shared';
import { pacsApi } from '../../api/pacs';

const POLL_MS = 1000;

/**
 * Starts an import and follows it until it is done or failed (the API fetches in the
 * background; the web polls the import). `onFinished` runs once, so the page reloads its
 * attachments.
 */
export function usePacsImport(consultationId: string, onFinished: () => void) {
  const [job, setJob] = useState<PacsImport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setTimeout(() => {
      pacsApi
        .importStatus(consultationId, job.id)
        .then((next) => {
          setJob(next);
          if (next.status !== 'running') finished.current();
        })
        .catch(setError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [consultationId, job]);

  async function start(studyUid: string, seriesUids?: string[]) {
    setError(null);
    try {
      const started = await pacsApi.startImport(consultationId, { studyUid, seriesUids });
      setJob(started);
      if (started.status !== 'running') finished.current();
    } catch (err) {
      setError(err);
    }
  }

  return { job, error, start, running: job?.status === 'running' };
}
