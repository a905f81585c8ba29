import { READER_EXTENSIONS } from '@caunoi/shared';
import { readAnswer } from './reader-answer';
import { whyNotForReader } from './reader-eligibility';

const observation = (id: string, points: string, confidence: unknown = 0.8) => ({
  resourceType: 'Observation',
  id,
  status: 'preliminary',
  code: { text: 'Nodule' },
  extension: [
    { url: READER_EXTENSIONS.confidence, valueDecimal: confidence },
    {
      url: READER_EXTENSIONS.region,
      extension: [
        { url: 'shape', valueCode: points.split(' ').length === 2 ? 'box' : 'polygon' },
        { url: 'points', valueString: points },
      ],
    },
  ],
});
const report = (...obs: ReturnType<typeof observation>[]) =>
  JSON.stringify({
    resourceType: 'DiagnosticReport',
    status: 'preliminary',
    code: { text: 'CXR' },
    contained: obs,
    result: obs.map((o) => ({ reference: `#${o.id}` })),
  });

describe('readAnswer', () => {
  it('reads boxes and polygons with their confidence', () => {
    const a = readAnswer(
      report(observation('a', '1,2 30,40'), observation('b', '1,1 5,1 3,4')),
      100,
      50,
    );
    expect(a).toMatchObject({
      ok: true,
      findings: [
        {
          label: 'Nodule',
          confidence: 0.8,
          region: {
            shape: 'box',
            points: [
              [1, 2],
              [30, 40],
            ],
          },
        },
        { region: { shape: 'polygon' } },
      ],
    });
  });

  it.each([
    ['not json', /not JSON/],
    [JSON.stringify({ resourceType: 'Patient' }), /resourceType/],
    [report(observation('a', '1,2 300,40')), /inside the 100×50 image/],
    [report(observation('a', '1,2 30,40', 1.5)), /confidence/],
    [report(observation('a', '1,2')), /polygon has 3/],
    [
      JSON.stringify({ ...JSON.parse(report()), result: [{ reference: '#nope' }] }),
      /names no contained Observation/,
    ],
  ])('fails with a reason: %#', (body, reason) => {
    const a = readAnswer(body, 100, 50);
    expect(a.ok).toBe(false);
    expect(!a.ok && a.reason).toMatch(reason);
  });
});

describe('whyNotForReader', () => {
  const chest = { modalities: ['CR', 'DX', 'DR'], bodyParts: ['CHEST'] };
  it.each([
    [{ modality: 'CR', bodyPart: 'CHEST' }, null],
    [{ modality: 'DX', studyDescription: 'XQ ngực thẳng' }, null],
    [{ modality: 'DX', studyDescription: 'Chest PA' }, null],
    [{ modality: 'CT', bodyPart: 'CHEST' }, /modality CT/],
    [{ modality: 'DX', bodyPart: 'HAND' }, /body part HAND/],
    [{ modality: 'DX', studyDescription: 'Hand PA' }, /no body part/],
  ])('%j → %s', (metadata, expected) => {
    const why = whyNotForReader(metadata, chest);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });
});
