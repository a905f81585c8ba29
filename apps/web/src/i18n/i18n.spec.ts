import fs from 'node:fs';
import path from 'node:path';
import vi from './vi.json';
import en from './en.json';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.spec\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const viKeys = flatten(vi as Tree);
const enKeys = flatten(en as Tree);
const srcDir = path.join(__dirname, '..');
const sources = sourceFiles(srcDir).map((f) => ({
  file: path.relative(srcDir, f),
  text: fs.readFileSync(f, 'utf8'),
}));

describe('translations', () => {
  it('Vietnamese and English have exactly the same keys', () => {
    const onlyVi = [...viKeys.keys()].filter((k) => !enKeys.has(k));
    const onlyEn = [...enKeys.keys()].filter((k) => !viKeys.has(k));
    expect({ onlyVi, onlyEn }).toEqual({ onlyVi: [], onlyEn: [] });
  });

  it('no translation is empty', () => {
    const empty = [...viKeys, ...enKeys].filter(([, v]) => !v.trim()).map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it('the same {{placeholders}} appear in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...viKeys.keys()].filter(
      (k) => JSON.stringify(vars(viKeys.get(k)!)) !== JSON.stringify(vars(enKeys.get(k) ?? '')),
    );
    expect(mismatched).toEqual([]);
  });

  it('every literal key used in the code exists', () => {
    const missing: string[] = [];
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g))
        if (!viKeys.has(m[1])) missing.push(`${file}: ${m[1]}`);
      for (const m of text.matchAll(/label: '([a-z]+\.[a-zA-Z]+)'/g))
        if (!viKeys.has(m[1])) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('every dynamic key prefix used in the code exists', () => {
    const missing: string[] = [];
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/\bt\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)) {
        const prefix = `${m[1]}.`;
        if (![...viKeys.keys()].some((k) => k.startsWith(prefix)))
          missing.push(`${file}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('covers every value of the enumerations shown through dynamic keys', async () => {
    const shared = await import('@caunoi/shared');
    const need = [
      ...shared.CONSULTATION_STATUSES.map((s) => `status.${s}`),
      ...shared.URGENCIES.map((u) => `urgency.${u}`),
      ...shared.ROLES.map((r) => `role.${r}`),
      ...shared.FACILITY_LEVELS.map((l) => `level.${l}`),
      ...shared.SUPPORT_KINDS.map((k) => `supportKind.${k}`),
      ...shared.SEXES.map((s) => `sex.${s}`),
      ...shared.CONSENT_KINDS.map((k) => `consent.${k}`),
      ...shared.SESSION_STATUSES.map((s) => `sessionStatus.${s}`),
      ...Object.values(shared.SPECIALTY_CODES).map((c) => `specialty.${c}`),
    ];
    expect(need.filter((k) => !viKeys.has(k))).toEqual([]);
    // And no label for a word the vocabulary no longer has.
    const stale = [...viKeys.keys()].filter(
      (k) =>
        (k.startsWith('status.') && !need.includes(k)) ||
        (k.startsWith('sessionStatus.') && !need.includes(k)),
    );
    expect(stale).toEqual([]);
  });

  it('Vietnamese is really Vietnamese (diacritics present in most strings)', () => {
    const withDiacritics = [...viKeys.values()].filter((v) =>
      /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i.test(v),
    );
    expect(withDiacritics.length / viKeys.size).toBeGreaterThan(0.6);
  });
});
