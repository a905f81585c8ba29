import { useTranslation } from 'react-i18next';
import type { Annotation } from '@caunoi/shared';
import { measure, measurementLabel, type MeasureContext } from './measure';

type MeasurementShapeType = Extract<Annotation['shape'], { type: 'distance' | 'angle' }>;

const COLOUR = '#00e5ff';

/**
 * A distance or angle drawn over the image with its value. The value is computed here from the
 * shape and the file's pixel spacing (not stored), so it is the same on every site's screen.
 */
export function MeasurementShape({
  shape,
  width,
  height,
  context,
}: {
  shape: MeasurementShapeType;
  width: number;
  height: number;
  context: MeasureContext;
}) {
  const { t } = useTranslation();
  const px = (p: readonly [number, number]) => [p[0] * width, p[1] * height] as const;
  const points =
    shape.type === 'distance' ? [shape.from, shape.to] : [shape.a, shape.vertex, shape.b];
  const xy = points.map(px);
  const m = measure(shape, context);
  const degenerate = xy.slice(1).some(([x, y], i) => Math.hypot(x - xy[i][0], y - xy[i][1]) < 1);
  const label = m && !degenerate ? measurementLabel(m) : null;
  // Beside the end of a distance, beside the vertex of an angle.
  const at = xy[1];
  const font = Math.max(12, width / 30);
  const tick = Math.max(3, width / 150);
  return (
    <g className={`measurement measurement-${shape.type}`}>
      <polyline
        points={xy.map(([x, y]) => `${x},${y}`).join(' ')}
        fill="none"
        stroke={COLOUR}
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
      {xy.map(([x, y], i) => (
        <circle key={i} cx={x} cy={y} r={tick} fill={COLOUR} />
      ))}
      {label ? (
        <text
          x={at[0] + font * 0.4}
          y={at[1] - font * 0.4}
          fill={COLOUR}
          stroke="#000"
          strokeWidth={Math.max(1, width / 400)}
          paintOrder="stroke"
          fontSize={font}
          fontFamily="system-ui, sans-serif"
          className="measurement-label"
          data-kind={shape.type}
        >
          {t(label.key, { value: label.value })}
        </text>
      ) : null}
    </g>
  );
}
