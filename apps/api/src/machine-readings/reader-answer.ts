import {
  READER_EXTENSIONS,
  ReaderDiagnosticReportSchema,
  type FhirExtension,
  type ImageRegion,
  type ReaderObservation,
} from '@caunoi/shared';

/** A finding as it is stored, before anyone reviewed it. */
export interface ReadFinding {
  label: string;
  codeSystem: string | null;
  code: string | null;
  confidence: number;
  region: ImageRegion;
}

export type ReaderAnswer =
  | { ok: true; report: unknown; conclusion: string | null; findings: ReadFinding[] }
  | { ok: false; reason: string };

const refuse = (reason: string): ReaderAnswer => ({ ok: false, reason: reason.slice(0, 500) });

function region(
  ext: FhirExtension | undefined,
  columns: number,
  rows: number,
): ImageRegion | string {
  if (!ext) return `no ${READER_EXTENSIONS.region} extension`;
  const part = (url: string) => ext.extension?.find((e) => e.url === url);
  const shape = part('shape')?.valueCode;
  const raw = part('points')?.valueString;
  if (shape !== 'box' && shape !== 'polygon') return 'region shape must be box or polygon';
  if (!raw) return 'region has no points';
  const points = raw
    .trim()
    .split(/\s+/)
    .map((p) => p.split(',').map(Number));
  if (points.some((p) => p.length !== 2 || p.some((n) => !Number.isFinite(n))))
    return 'region points must be "x,y x,y …"';
  if (points.some(([x, y]) => x < 0 || y < 0 || x > columns || y > rows))
    return `region points must lie inside the ${columns}×${rows} image`;
  if (shape === 'box' && points.length !== 2) return 'a box has two points (corners)';
  if (shape === 'polygon' && (points.length < 3 || points.length > 1000))
    return 'a polygon has 3 to 1000 points';
  return { shape, points } as ImageRegion;
}

function finding(o: ReaderObservation, columns: number, rows: number): ReadFinding | string {
  const confidence = o.extension.find((e) => e.url === READER_EXTENSIONS.confidence)?.valueDecimal;
  if (confidence === undefined || !(confidence >= 0 && confidence <= 1))
    return `Observation ${o.id}: confidence must be a valueDecimal from 0 to 1`;
  const r = region(
    o.extension.find((e) => e.url === READER_EXTENSIONS.region),
    columns,
    rows,
  );
  if (typeof r === 'string') return `Observation ${o.id}: ${r}`;
  const coding = o.code.coding?.find((c) => c.code || c.display);
  return {
    label: (o.code.text ?? coding?.display ?? coding?.code ?? '').slice(0, 500),
    codeSystem: coding?.system ?? null,
    code: coding?.code ?? null,
    confidence,
    region: r,
  };
}

/**
 * Reads a reader's answer into findings, or says what is wrong with it. Every problem is a
 * reason stored with a failed reading, never an exception: the reader is outside our control.
 */
export function readAnswer(body: string, columns: number, rows: number): ReaderAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return refuse('the reader answered something that is not JSON');
  }
  const parsed = ReaderDiagnosticReportSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return refuse(`not a valid DiagnosticReport: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const report = parsed.data;
  const byId = new Map(report.contained.map((o) => [o.id, o]));
  const findings: ReadFinding[] = [];
  for (const { reference } of report.result) {
    const o = byId.get(reference.slice(1));
    if (!o) return refuse(`result ${reference} names no contained Observation`);
    const f = finding(o, columns, rows);
    if (typeof f === 'string') return refuse(f);
    findings.push(f);
  }
  return { ok: true, report, conclusion: report.conclusion ?? null, findings };
}
