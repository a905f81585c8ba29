import type { MachineFinding, MachineReading } from '@caunoi/shared';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

const COLOUR: Record<string, string> = {
  open: '#ff9800',
  confirmed: '#4caf50',
  rejected: '#9e9e9e',
};

/**
 * The findings of completed readings drawn over the image (boxes or outlines, label and
 * confidence), in the image's pixel coordinates; a child of the stage, so it pans and zooms with
 * the image. Rejected findings stay visible, dashed, so nobody wonders where one went.
 */
export function MachineOverlay({
  readings,
  width,
  height,
}: {
  readings: MachineReading[];
  width: number;
  height: number;
}) {
  const { t } = useTranslation();
  const font = Math.max(8, width / 42);
  const findings = readings
    .filter((r) => r.status === 'completed' && r.image)
    .flatMap((r) =>
      r.findings.map((f) => ({
        f,
        sx: width / r.image!.columns,
        sy: height / r.image!.rows,
      })),
    );
  return (
    <svg
      className="machine-overlay"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={t('viewer.machine.banner')}
    >
      {/* Said on the image itself too: a screenshot of it must not pass for a diagnosis. */}
      <text
        x={font * 0.5}
        y={font * 1.2}
        fill="#ff9800"
        stroke="#000"
        strokeWidth={Math.max(1, width / 400)}
        paintOrder="stroke"
        fontSize={font}
        fontFamily="system-ui, sans-serif"
        className="machine-caption"
      >
        {t('viewer.machine.banner')}
      </text>
      {findings.map(({ f, sx, sy }) => {
        const state = f.review?.decision ?? 'open';
        const points = f.region.points.map(([x, y]) => [x * sx, y * sy] as const);
        const [x0, y0] = points[0];
        const common = {
          fill: 'none',
          stroke: COLOUR[state],
          strokeWidth: 2,
          strokeDasharray: state === 'rejected' ? '6 4' : undefined,
          vectorEffect: 'non-scaling-stroke' as const,
        };
        return (
          <g key={f.id} className="machine-finding" data-finding={f.id} data-state={state}>
            {f.region.shape === 'box' ? (
              <rect
                x={Math.min(x0, points[1][0])}
                y={Math.min(y0, points[1][1])}
                width={Math.abs(points[1][0] - x0)}
                height={Math.abs(points[1][1] - y0)}
                {...common}
              />
            ) : (
              <polygon points={points.map((p) => p.join(',')).join(' ')} {...common} />
            )}
            <text
              x={Math.min(...points.map((p) => p[0]))}
              y={Math.max(font, Math.min(...points.map((p) => p[1])) - font * 0.3)}
              fill={COLOUR[state]}
              stroke="#000"
              strokeWidth={Math.max(1, width / 400)}
              paintOrder="stroke"
              fontSize={font}
              fontFamily="system-ui, sans-serif"
              className="machine-finding-label"
            >
              {`${f.label} ${Math.round(f.confidence * 100)} %`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function findingLabel(f: MachineFinding, t: TFunction): string {
  return `${f.label} · ${t('viewer.machine.confidence', { value: Math.round(f.confidence * 100) })}`;
}
