import type { Annotation } from '@caunoi/shared';
import type { PixelSpacing } from './dicom';

type Point = readonly [number, number];

/**
 * What a measurement needs to know of the image: its size in pixels (annotation points are
 * normalised 0..1) and the physical size of a pixel, if the file says. Every viewer computes the
 * value from the shared shape and its own copy of the file, so every site shows the same number.
 */
export interface MeasureContext {
  columns: number;
  rows: number;
  spacing: PixelSpacing | null;
}

export type Measurement =
  | { kind: 'length'; value: number; unit: 'mm' | 'px'; approximate: boolean }
  | { kind: 'angle'; degrees: number };

/**
 * A vector between two normalised points in physical units: mm when the spacing is known
 * (PixelSpacing is [between rows, between columns]: x runs across columns, y down rows), else px.
 */
function vector(from: Point, to: Point, c: MeasureContext): [number, number] {
  const dx = (to[0] - from[0]) * c.columns;
  const dy = (to[1] - from[1]) * c.rows;
  return c.spacing ? [dx * c.spacing.column, dy * c.spacing.row] : [dx, dy];
}

export function distance(from: Point, to: Point, c: MeasureContext): Measurement {
  const [x, y] = vector(from, to, c);
  return {
    kind: 'length',
    value: Math.hypot(x, y),
    unit: c.spacing ? 'mm' : 'px',
    approximate: !!c.spacing?.approximate,
  };
}

/**
 * The angle at `vertex` between the legs to `a` and `b`, 0..180°, measured on the patient (with
 * anisotropic pixels an angle on screen differs from the real one; without spacing, in pixels).
 */
export function angle(a: Point, vertex: Point, b: Point, c: MeasureContext): Measurement {
  const [ux, uy] = vector(vertex, a, c);
  const [vx, vy] = vector(vertex, b, c);
  const rad = Math.atan2(Math.abs(ux * vy - uy * vx), ux * vx + uy * vy);
  return { kind: 'angle', degrees: (rad * 180) / Math.PI };
}

export function measure(shape: Annotation['shape'], c: MeasureContext): Measurement | null {
  if (shape.type === 'distance') return distance(shape.from, shape.to, c);
  if (shape.type === 'angle') return angle(shape.a, shape.vertex, shape.b, c);
  return null;
}

/** i18n key and values of a measurement's label (`viewer.measure.*`). */
export function measurementLabel(m: Measurement): { key: string; value: string } {
  if (m.kind === 'angle') return { key: 'viewer.measure.degrees', value: m.degrees.toFixed(1) };
  if (m.unit === 'px') return { key: 'viewer.measure.pixels', value: m.value.toFixed(0) };
  return {
    key: m.approximate ? 'viewer.measure.mmApprox' : 'viewer.measure.mm',
    value: m.value.toFixed(1),
  };
}
