import { useEffect, useState, useSyncExternalStore } from 'react';
import type { JoinResponse } from '@caunoi/shared';
import { ConferenceClient, type ConferenceSnapshot } from './ConferenceClient';

const IDLE: ConferenceSnapshot = {
  state: 'idle',
  error: null,
  selfPeerId: null,
  peers: [],
  activeSpeakerId: null,
  micOn: false,
  cameraOn: false,
  sharing: false,
  audioOnly: false,
  localStream: null,
  screenStream: null,
  linkMode: 'normal',
  uplinkLimited: false,
  recording: false,
  training: null,
};
const noopSubscribe = () => () => undefined;

declare global {
  interface Window {
    /** Diagnostics hook (also read by the end-to-end test). */
    __caunoiConference?: ConferenceClient;
  }
}

/** Runs a ConferenceClient while `params` is set; closes it on unmount or when params change. */
export function useConference(
  params: {
    getJoin: () => Promise<JoinResponse>;
    displayName: string;
    stream: MediaStream;
    audioOnly: boolean;
  } | null,
) {
  const [client, setClient] = useState<ConferenceClient | null>(null);
  useEffect(() => {
    if (!params) return;
    const c = new ConferenceClient(params);
    setClient(c);
    window.__caunoiConference = c;
    c.start().catch(() => undefined);
    return () => {
      c.close();
      if (window.__caunoiConference === c) delete window.__caunoiConference;
      setClient(null);
    };
  }, [params]);
  const snap = useSyncExternalStore(
    client?.subscribe ?? noopSubscribe,
    client?.getSnapshot ?? (() => IDLE),
  );
  return { client, snap };
}
