// Several API instances behind the one origin: requests go round-robin to the instances; the
// collaboration socket (its HTTP long-polling fallback needs every request of one socket on the
// same instance) sticks to one instance per client address. An instance that refused a
// connection is skipped for a few seconds, so a restarting instance costs one 502, not many.
import { createHash } from 'node:crypto';

const DOWN_MS = 3_000;

/** `API_URL` may list several instances, separated by commas. */
export function apiBalancer(list) {
  const targets = list
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map((u) => ({ url: new URL(u), downUntil: 0 }));
  if (targets.length === 0) throw new Error('API_URL names no instance');
  let next = 0;
  const up = () => {
    const now = Date.now();
    const alive = targets.filter((t) => t.downUntil <= now);
    return alive.length ? alive : targets;
  };
  return {
    targets: targets.map((t) => t.url),
    /** The instance for this request; `stickyKey` (the client address) pins sockets. */
    pick(stickyKey) {
      const pool = up();
      if (stickyKey === undefined) return pool[next++ % pool.length].url;
      const h = createHash('sha1').update(stickyKey).digest().readUInt32BE(0);
      return pool[h % pool.length].url;
    },
    /** The instance did not answer: leave it out for a moment. */
    unreachable(url) {
      const t = targets.find((x) => x.url === url);
      if (t) t.downUntil = Date.now() + DOWN_MS;
    },
  };
}
