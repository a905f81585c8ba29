import type { Annotation } from '@caunoi/shared';

export type MeasureTool = 'distance' | 'angle';

type P = { x: number; y: number };

/**
 * The angle being drawn: after the first point the leg follows the pointer, after the vertex the
 * second leg does. Shown as an angle shape whose unplaced points sit on the pointer.
 */
export function angleDraft(placed: P[], pointer: P): Annotation['shape'] {
  const [a, vertex] = [placed[0] ?? pointer, placed[1] ?? pointer];
  return { type: 'angle', a: [a.x, a.y], vertex: [vertex.x, vertex.y], b: [pointer.x, pointer.y] };
}
