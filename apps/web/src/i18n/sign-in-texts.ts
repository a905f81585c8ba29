// Only these namespaces by name: the build keeps just them in the first load.
import { account, app, common, errors, language, login, nav, status, urgency } from './vi.json';

/**
 * What the first load shows (the sign-in page, its errors, a password change or an MFA enrolment
 * after it): a fifth of the Vietnamese texts. The rest (≈ 9 kB compressed, a quarter second on a
 * commune's 256 kbit/s line) comes with the signed-in shell's code, which waits for it
 * (`allTexts` in ./index.ts).
 */
export const SIGN_IN_TEXTS = {
  account,
  app,
  common,
  errors,
  language,
  login,
  nav,
  status,
  urgency,
};
