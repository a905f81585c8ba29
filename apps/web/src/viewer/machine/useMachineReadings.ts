import { useCallback, useEffect, useState } from 'react';
import type { MachineFindingDecision, MachineReading } from '@caunoi/shared';
import { machineApi } from './machine-api';

/** While shown, readings are looked at again this often: a pending one lands, others' reviews show. */
const REFRESH_MS = 10_000;

/**
 * The machine readings of the DICOM image on screen, fetched only while the overlay is on (each
 * fetch is an audited read of patient data), refreshed while it stays on.
 */
export function useMachineReadings(attachmentId: string | null, enabled: boolean) {
  const [items, setItems] = useState<MachineReading[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setItems(null);
    setError(null);
    if (!attachmentId || !enabled) return;
    let alive = true;
    const load = () =>
      machineApi
        .readings(attachmentId)
        .then((r) => alive && (setItems(r), setError(null)))
        .catch((err: Error) => alive && setError(err.message));
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [attachmentId, enabled]);

  const review = useCallback(async (findingId: string, decision: MachineFindingDecision) => {
    try {
      setItems(await machineApi.review(findingId, decision));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  return { items, error, review };
}
