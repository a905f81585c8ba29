// .dockerignore keeps secrets and local data out of every image, and never a file the
// Dockerfile needs. Matched here the way Docker does (last matching pattern wins, `!` re-includes).
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '../..');
const patterns = fs
  .readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

function toRegExp(glob: string): RegExp {
  const body = glob
    .replace(/\/$/, '')
    .split(/(\*\*\/|\*|\?)/)
    .map((part) =>
      part === '**/'
        ? '(?:.*/)?'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}(?:/.*)?$`);
}

function ignored(file: string): boolean {
  let result = false;
  for (const p of patterns) {
    const negate = p.startsWith('!');
    if (toRegExp(negate ? p.slice(1) : p).test(file)) result = !negate;
  }
  return result;
}

it('keeps environment files, keys and local data out of images', () => {
  for (const file of [
    '.env',
    '.env.production',
    '.data/secrets/AUTH_JWT_SECRET',
    '.data/postgres/base/1/1259',
    '.data/attachments/ab/cdef',
    'deploy/secrets/join-token-private.pem',
    'server.key',
    'apps/api/node_modules/x/index.js',
    'apps/web/dist/assets/index.js.map',
    '.git/config',
  ])
    expect([file, ignored(file)]).toEqual([file, true]);
});

it('keeps what the Dockerfile copies', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const sources = [...dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].flatMap((m) =>
    m[1].trim().split(/\s+/).slice(0, -1),
  );
  for (const file of [...sources, 'apps/api/src/main.ts', 'libs/shared/src/index.ts'])
    expect([file, ignored(file)]).toEqual([file, false]);
});
