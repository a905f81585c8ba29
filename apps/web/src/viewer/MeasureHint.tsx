import { useTranslation } from 'react-i18next';
import type { Loaded } from './loader';
import type { Tool } from './Stage';

/**
 * How to draw with the chosen measuring tool, and what the numbers will mean for this file: mm,
 * approximate mm (detector spacing), or pixels when the file gives no spacing.
 */
export function MeasureHint({ tool, data }: { tool: Tool; data: Loaded | null }) {
  const { t } = useTranslation();
  if (tool !== 'distance' && tool !== 'angle') return null;
  const spacing = data?.kind === 'dicom' ? data.image.pixelSpacing : null;
  const scale =
    tool === 'angle'
      ? null
      : !spacing
        ? t('viewer.measure.noSpacing')
        : spacing.approximate
          ? t('viewer.measure.imagerSpacing')
          : null;
  return (
    <p className="muted measure-hint" role="note">
      {t(`viewer.measure.how.${tool}`)}
      {scale ? ` ${scale}` : ''}
    </p>
  );
}
