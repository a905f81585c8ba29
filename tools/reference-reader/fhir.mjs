/** The reader's answer: a FHIR R4 DiagnosticReport with one contained Observation per lung field. */
export const EXTENSIONS = {
  region: 'urn:caunoi:fhir:extension:image-region',
  confidence: 'urn:caunoi:fhir:extension:confidence',
};

const SNOMED = 'http://snomed.info/sct';
const SIDES = {
  right: { code: '3341006', display: 'Right lung structure', text: 'Lung field (right)' },
  left: { code: '44029006', display: 'Left lung structure', text: 'Lung field (left)' },
  unknown: { code: '39607008', display: 'Lung structure', text: 'Lung field' },
};

export function diagnosticReport(fields) {
  const contained = fields.map((f, i) => {
    const side = SIDES[f.side] ?? SIDES.unknown;
    return {
      resourceType: 'Observation',
      id: `finding-${i + 1}`,
      status: 'preliminary',
      code: {
        coding: [{ system: SNOMED, code: side.code, display: side.display }],
        text: side.text,
      },
      extension: [
        { url: EXTENSIONS.confidence, valueDecimal: f.confidence },
        {
          url: EXTENSIONS.region,
          extension: [
            { url: 'shape', valueCode: 'box' },
            { url: 'points', valueString: f.box.map((p) => p.join(',')).join(' ') },
          ],
        },
      ],
    };
  });
  return {
    resourceType: 'DiagnosticReport',
    status: 'preliminary',
    code: { text: 'Lung fields (reference reader, not a clinical tool)' },
    conclusion: `${fields.length} lung field(s) outlined by the reference reader; not a diagnosis.`,
    contained,
    result: contained.map((o) => ({ reference: `#${o.id}` })),
  };
}
