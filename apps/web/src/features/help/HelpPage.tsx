import { useTranslation } from 'react-i18next';
import { Page } from '../../app/ui';

/** How-to topics, each a title and numbered steps from the translations (`help.<topic>`). */
const TOPICS = ['written', 'minutes', 'emergency', 'training', 'recording'] as const;

/** In-app help: how to use the workflows that are not self-evident, Vietnamese first. */
export default function HelpPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('help.title')}>
      {TOPICS.map((topic) => (
        <section key={topic} className="card" aria-labelledby={`help-${topic}`}>
          <h2 id={`help-${topic}`}>{t(`help.${topic}.title`)}</h2>
          <ol>
            {(t(`help.${topic}.steps`, { returnObjects: true }) as string[]).map((step, i) => (
              <li key={i}>{step}</li>
            ))}
          </ol>
        </section>
      ))}
    </Page>
  );
}
