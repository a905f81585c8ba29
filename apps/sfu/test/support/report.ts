import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Record what a test measured (frames decoded, recovery times…): one JSON line per measurement in
 * apps/sfu/test-results/measurements.jsonl, and a one-line summary on stdout.
 */
export function report(name: string, data: Record<string, unknown>): void {
  const dir = path.join(__dirname, '../../test-results');
  mkdirSync(dir, { recursive: true });
  appendFileSync(
    path.join(dir, 'measurements.jsonl'),
    `${JSON.stringify({ at: new Date().toISOString(), name, ...data })}\n`,
  );
  const brief = Object.entries(data)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? summarise(v) : String(v)}`)
    .join(' ');
  process.stdout.write(`[measured] ${name}: ${brief}\n`);
}

function summarise(v: unknown): string {
  if (Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'kind' in x)) {
    return `[${v.map((s: any) => (s.kind === 'video' ? `video frames=${s.framesDecoded} w=${s.frameWidth}` : `audio pkts=${s.packetsReceived} bytes=${s.bytesReceived}`)).join('; ')}]`;
  }
  return JSON.stringify(v);
}
