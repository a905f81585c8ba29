import { READER_EXTENSIONS, type MachineReading } from '@caunoi/shared';
import type { Resource } from './minutes-bundle';

const ref = (id: string) => ({ reference: `urn:uuid:${id}` });

/**
 * A machine pre-read as FHIR R4: a `preliminary` DiagnosticReport on the image it read
 * (`DocumentReference`), its findings as `preliminary` Observations with the reader's confidence
 * and the region in image pixels (the same extensions the reader answered with), and a
 * clinician's confirmation or rejection as the Observation's note. It is a machine suggestion,
 * never a diagnosis: status and category say so.
 */
export function machineReadingResources(
  reading: MachineReading,
  subject: { reference: string },
  request: { reference: string },
): Resource[] {
  const observations: Resource[] = reading.findings.map((f) => ({
    resourceType: 'Observation',
    id: f.id,
    status: 'preliminary',
    category: [{ text: 'Gợi ý của máy — bác sĩ cần xác nhận' }],
    code: {
      text: f.label,
      ...(f.code?.code
        ? { coding: [{ ...(f.code.system ? { system: f.code.system } : {}), code: f.code.code }] }
        : {}),
    },
    subject,
    derivedFrom: [ref(reading.attachmentId)],
    extension: [
      { url: READER_EXTENSIONS.confidence, valueDecimal: f.confidence },
      {
        url: READER_EXTENSIONS.region,
        extension: [
          { url: 'shape', valueCode: f.region.shape },
          { url: 'points', valueString: f.region.points.map(([x, y]) => `${x},${y}`).join(' ') },
        ],
      },
    ],
    ...(f.review
      ? {
          note: [
            {
              authorString: f.review.by.fullName,
              time: f.review.at,
              text: f.review.decision === 'confirmed' ? 'Bác sĩ xác nhận' : 'Bác sĩ bác bỏ',
            },
          ],
        }
      : {}),
  }));
  const report: Resource = {
    resourceType: 'DiagnosticReport',
    id: reading.id,
    status: 'preliminary',
    category: [{ text: 'Gợi ý của máy — bác sĩ cần xác nhận' }],
    code: { text: 'Đọc trước tự động (máy)' },
    subject,
    basedOn: [request],
    issued: reading.completedAt ?? reading.createdAt,
    performer: [{ display: reading.reader.name }],
    result: observations.map((o) => ref(o.id)),
    ...(reading.conclusion ? { conclusion: reading.conclusion } : {}),
    extension: [
      { url: 'urn:caunoi:fhir:extension:image', valueReference: ref(reading.attachmentId) },
    ],
  };
  return [report, ...observations];
}
