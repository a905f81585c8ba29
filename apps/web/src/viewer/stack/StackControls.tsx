import { useTranslation } from 'react-i18next';

/**
 * Slice navigation of a stack: previous/next, a slider (the touch control: a thumb to drag), the
 * slice number ("12 / 120") and, while the series still arrives, how much of it is loaded.
 */
export function StackControls({
  slice,
  count,
  loaded,
  canDrive,
  go,
}: {
  slice: number;
  count: number;
  loaded: number;
  canDrive: boolean;
  go: (slice: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="stack-controls row wrap" role="group" aria-label={t('viewer.stack')}>
      <button type="button" disabled={!canDrive || slice <= 0} onClick={() => go(slice - 1)}>
        {t('viewer.prevSlice')}
      </button>
      <input
        type="range"
        className="stack-slider"
        min={1}
        max={count}
        step={1}
        value={slice + 1}
        disabled={!canDrive}
        aria-label={t('viewer.sliceSlider')}
        aria-valuetext={t('viewer.sliceOf', { slice: slice + 1, count })}
        onChange={(e) => go(Number(e.target.value) - 1)}
      />
      <button
        type="button"
        disabled={!canDrive || slice >= count - 1}
        onClick={() => go(slice + 1)}
      >
        {t('viewer.nextSlice')}
      </button>
      <output aria-label={t('viewer.sliceLabel')} data-slice={slice}>
        {slice + 1} / {count}
      </output>
      {loaded < count ? (
        <span className="stack-progress muted small">
          <progress
            max={count}
            value={loaded}
            aria-label={t('viewer.stackProgress')}
            aria-valuetext={t('viewer.stackLoaded', { loaded, count })}
          />{' '}
          {t('viewer.stackLoaded', { loaded, count })}
        </span>
      ) : null}
    </div>
  );
}
