import type { Annotation } from '@caunoi/shared';
import type { MeasureContext } from './measure';
import { MeasurementShape } from './MeasurementShape';

type Shape = Annotation['shape'];

/** Annotations in normalised content coordinates, drawn over the content (scales with it). */
export function AnnotationLayer({
  shapes,
  width,
  height,
  measure,
}: {
  shapes: Shape[];
  width: number;
  height: number;
  measure: MeasureContext;
}) {
  return (
    <svg
      className="annotations"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      aria-hidden="true"
    >
      <defs>
        <marker id="arrowhead" markerWidth="8" markerHeight="8" refX="6" refY="4" orient="auto">
          <path d="M0,0 L8,4 L0,8 z" fill="#ffcc00" />
        </marker>
      </defs>
      {shapes.map((sh, i) =>
        sh.type === 'distance' || sh.type === 'angle' ? (
          <MeasurementShape key={i} shape={sh} width={width} height={height} context={measure} />
        ) : sh.type === 'arrow' ? (
          <line
            key={i}
            x1={sh.from[0] * width}
            y1={sh.from[1] * height}
            x2={sh.to[0] * width}
            y2={sh.to[1] * height}
            stroke="#ffcc00"
            strokeWidth={3}
            vectorEffect="non-scaling-stroke"
            markerEnd="url(#arrowhead)"
          />
        ) : sh.type === 'ellipse' ? (
          <ellipse
            key={i}
            cx={sh.center[0] * width}
            cy={sh.center[1] * height}
            rx={sh.rx * width}
            ry={sh.ry * height}
            fill="none"
            stroke="#ffcc00"
            strokeWidth={3}
            vectorEffect="non-scaling-stroke"
          />
        ) : (
          <text
            key={i}
            x={sh.at[0] * width}
            y={sh.at[1] * height}
            fill="#ffcc00"
            stroke="#000"
            strokeWidth={Math.max(1, width / 400)}
            paintOrder="stroke"
            fontSize={Math.max(12, width / 30)}
            fontFamily="system-ui, sans-serif"
            dominantBaseline="middle"
            className="annotation-text"
          >
            {sh.text}
          </text>
        ),
      )}
    </svg>
  );
}
