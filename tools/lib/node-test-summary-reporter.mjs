// node:test reporter that records pass/fail counts for `npm test`'s closing line (the browser
// e2e suites run on node:test; jest suites use jest-summary-reporter.js).
import fs from 'node:fs';
import path from 'node:path';

export default async function* summaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    const d = event.data ?? {};
    if (d.details?.type === 'suite') continue;
    if (event.type === 'test:pass') counts[d.skip || d.todo ? 'skipped' : 'passed'] += 1;
    if (event.type === 'test:fail') counts.failed += 1;
  }
  const dir = process.env.CAUNOI_TEST_SUMMARY_DIR;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    const project = `${path.basename(process.cwd())}-e2e`;
    fs.writeFileSync(path.join(dir, `${project}-${process.pid}.json`), JSON.stringify({ project, ...counts }));
  }
  yield '';
}
