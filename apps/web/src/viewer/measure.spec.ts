import { angle, distance, measure, measurementLabel } from './measure';

describe('measurements', () => {
  const square = { columns: 200, rows: 100, spacing: { row: 0.5, column: 0.25 } };

  it('distance in mm with anisotropic spacing: columns and rows each by their own spacing', () => {
    // 100 px across (0.25 mm each) = 25 mm; 50 px down (0.5 mm each) = 25 mm.
    expect(distance([0.1, 0.2], [0.6, 0.2], square)).toEqual({
      kind: 'length',
      value: 25,
      unit: 'mm',
      approximate: false,
    });
    expect((distance([0.1, 0.2], [0.1, 0.7], square) as { value: number }).value).toBeCloseTo(25);
    // Diagonal: 3-4-5 in mm (12 px across = 3 mm, 8 rows = 4 mm).
    const diag = distance([0, 0], [12 / 200, 8 / 100], square);
    expect((diag as { value: number }).value).toBeCloseTo(5);
  });

  it('without spacing it measures pixels; imager spacing is approximate', () => {
    expect(distance([0, 0], [0.5, 0], { columns: 200, rows: 100, spacing: null })).toMatchObject({
      value: 100,
      unit: 'px',
    });
    const approx = distance([0, 0], [0.5, 0], {
      ...square,
      spacing: { row: 0.5, column: 0.25, approximate: true },
    });
    expect(approx).toMatchObject({ value: 25, unit: 'mm', approximate: true });
    expect(measurementLabel(approx)).toEqual({ key: 'viewer.measure.mmApprox', value: '25.0' });
  });

  it('angle in degrees from three points, measured on the patient', () => {
    const iso = { columns: 100, rows: 100, spacing: { row: 1, column: 1 } };
    expect(
      (angle([0.9, 0.5], [0.5, 0.5], [0.5, 0.1], iso) as { degrees: number }).degrees,
    ).toBeCloseTo(90);
    expect(
      (angle([0.9, 0.5], [0.5, 0.5], [0.9, 0.9], iso) as { degrees: number }).degrees,
    ).toBeCloseTo(45);
    expect(
      (angle([0.9, 0.5], [0.5, 0.5], [0.1, 0.5], iso) as { degrees: number }).degrees,
    ).toBeCloseTo(180);
    // On screen 45° (equal steps in normalised units of a square image), but rows are twice as far
    // apart as columns on the patient: atan(2) = 63.43°.
    const aniso = { columns: 100, rows: 100, spacing: { row: 1, column: 0.5 } };
    const m = angle([0.9, 0.5], [0.5, 0.5], [0.9, 0.9], aniso);
    expect((m as { degrees: number }).degrees).toBeCloseTo(63.43, 1);
    expect(measurementLabel(m)).toEqual({ key: 'viewer.measure.degrees', value: '63.4' });
  });

  it('only measurement shapes have a value', () => {
    expect(measure({ type: 'arrow', from: [0, 0], to: [1, 1] }, square)).toBeNull();
    expect(measure({ type: 'distance', from: [0.1, 0.2], to: [0.6, 0.2] }, square)).toMatchObject({
      value: 25,
    });
  });
});
