// The first load holds only the sign-in page's texts (SIGN_IN_TEXTS): every key its code can show
// must be there, or the sign-in page would show a key instead of a sentence.
import fs from 'node:fs';
import path from 'node:path';
import vi from './vi.json';
import { SIGN_IN_TEXTS } from './sign-in-texts';

const src = path.join(__dirname, '..');

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null; // a package: its texts are not ours
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')])
    if (fs.existsSync(f) && fs.statSync(f).isFile() && /\.tsx?$/.test(f)) return f;
  return null;
}

/** The files main.tsx reaches through static imports: the first load's own code. */
function firstLoad(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    // `import … from '…'` and `export … from '…'`, not `import('…')` (a chunk of its own).
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      if (/^\s*import\s+type\s/.test(m[0])) continue;
      const next = resolve(file, m[1]);
      if (next) visit(next);
    }
  };
  visit(entry);
  return [...seen];
}

const namespaces = Object.keys(vi);
const keyLike = new RegExp(`['\`"](${namespaces.join('|')})\\.[a-zA-Z0-9_.]*(?:\\$\\{)?`, 'g');

describe('the sign-in page’s texts in the first load', () => {
  const files = firstLoad(path.join(src, 'main.tsx'));

  it('the first load is the sign-in code, not the shell or a screen', () => {
    const rel = files.map((f) => path.relative(src, f));
    expect(rel).toEqual(expect.arrayContaining(['app/LoginPage.tsx', 'i18n/index.ts']));
    expect(rel.filter((f) => /^(features|conference|viewer)\//.test(f))).toEqual([
      'conference/marks.ts',
    ]);
    expect(rel).not.toContain('app/Layout.tsx');
  });

  it('every key its code names is among the texts it holds', () => {
    const held = new Set(Object.keys(SIGN_IN_TEXTS));
    const missing: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(keyLike))
        if (!held.has(m[1])) missing.push(`${path.relative(src, file)}: ${m[0]}`);
    }
    expect(missing).toEqual([]);
  });

  it('holds a small part of the texts, each namespace whole', () => {
    for (const [ns, texts] of Object.entries(SIGN_IN_TEXTS))
      expect(texts).toEqual((vi as Record<string, unknown>)[ns]);
    expect(JSON.stringify(SIGN_IN_TEXTS).length).toBeLessThan(JSON.stringify(vi).length / 3);
  });
});
