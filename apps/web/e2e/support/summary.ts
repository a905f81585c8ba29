import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm test` (tools/run-tests.mjs) sums every project's counts from the files in
 * CAUNOI_TEST_SUMMARY_DIR; one file per suite run.
 */
export function writeSummary(
  project: string,
  counts: { passed: number; failed: number; skipped?: number },
): void {
  const dir = process.env.CAUNOI_TEST_SUMMARY_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `${project}-${process.pid}.json`),
    JSON.stringify({ project, skipped: 0, ...counts }),
  );
}
