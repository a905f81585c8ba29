import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { SIGN_IN_TEXTS } from './sign-in-texts';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'caunoi.lang';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'vi') return saved;
  } catch {
    /* ignore */
  }
  return 'vi'; // Vietnamese by default, whatever the browser says.
}

// Read before init: initialising in Vietnamese stores 'vi' as the choice.
const chosen = initialLanguage();

// The sign-in page's Vietnamese texts are in the first load, the rest comes with the signed-in
// shell; English is fetched only by those who choose it, so the sign-in page of a commune on a
// slow line does not wait for a language it will not show.
void i18n.use(initReactI18next).init({
  resources: { vi: { translation: SIGN_IN_TEXTS } },
  partialBundledLanguages: true,
  lng: 'vi',
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    /* ignore */
  }
});
document.documentElement.lang = i18n.language;

let allVietnamese: Promise<void> | null = null;

/**
 * Every Vietnamese text, added to those of the first load (once; a failed fetch is asked again).
 * The `?all` import is the whole file as a chunk of its own, apart from sign-in-texts.ts's named
 * imports.
 */
export function allTexts(): Promise<void> {
  allVietnamese ??= import('./vi.json?all').then(
    (m) => void i18n.addResourceBundle('vi', 'translation', m.default, true, true),
    (err: unknown) => {
      allVietnamese = null;
      throw err;
    },
  );
  return allVietnamese;
}

/** Switches the language, fetching its texts first if this page has not loaded them yet. */
export async function setLanguage(lng: Language): Promise<void> {
  if (lng === 'vi') await allTexts();
  else if (!i18n.hasResourceBundle(lng, 'translation')) {
    const texts = (await import('./en.json')).default;
    i18n.addResourceBundle(lng, 'translation', texts);
  }
  await i18n.changeLanguage(lng);
}

/** Resolves once the language chosen earlier is ready to show (render after it). */
export const languageReady: Promise<void> = (async () => {
  if (chosen !== 'vi') await setLanguage(chosen).catch(() => undefined);
})();

export default i18n;
