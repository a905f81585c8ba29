import { useCallback, useEffect, useState } from 'react';
import {
  COLLAB_SERVER_EVENTS,
  type MachineFindingDecision,
  type MachineReading,
  type MachineReviewedEvent,
} from '@caunoi/shared';
import { collabSocket } from '../../api/collab';
import { machineApi } from './machine-api';

/** While shown, readings are looked at again this often (a pending one lands); reviews also arrive live. */
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
    // Someone confirmed or rejected a finding of this image: show it now.
    const socket = collabSocket();
    const reviewed = (e: MachineReviewedEvent) => e.attachmentId === attachmentId && void load();
    socket.on(COLLAB_SERVER_EVENTS.machineReviewed, reviewed);
    return () => {
      alive = false;
      clearInterval(timer);
      socket.off(COLLAB_SERVER_EVENTS.machineReviewed, reviewed);
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
