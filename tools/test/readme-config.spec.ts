// The README's configuration table is the operator's reference: every variable an app's
// environment schema reads must be documented there.
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

function schemaKeys(file: string): string[] {
  const src = fs.readFileSync(path.join(root, file), 'utf8');
  return [...src.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map((m) => m[1]);
}

it.each(['apps/api/src/config/env.schema.ts', 'apps/sfu/src/config/config.ts'])(
  '%s: every variable is in the README',
  (file) => {
    const keys = schemaKeys(file);
    expect(keys.length).toBeGreaterThan(10);
    expect(
      keys.filter(
        (k) =>
          !readme.includes(`\`${k}\``) && !readme.includes(`${k}\``) && !readme.includes(` ${k} `),
      ),
    ).toEqual([]);
  },
);

it('documents the launcher and web server variables', () => {
  for (const k of [
    'DATABASE_URL',
    'CAUNOI_DATA_DIR',
    'EMBEDDED_PG_PORT',
    'WEB_PORT',
    'WEB_DIST',
    'TEST_DATABASE_URL',
  ])
    expect(readme).toContain(k);
});
