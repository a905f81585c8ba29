import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { languageReady } from './i18n';
import './app/styles.css';
import { App } from './app/App';
import { holdsSignIn } from './app/auth';
import { prefetchForAddress } from './app/prefetch';
import { markJoinStep } from './conference/marks';

// The shell's (and a room's) code starts downloading beside the language and the silent sign-in.
prefetchForAddress(location.pathname, holdsSignIn());

void languageReady.then(() => {
  markJoinStep('app-start');
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
