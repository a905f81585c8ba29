import { chestXrayDicom, makeCtSeries, makeCtSlice } from '@caunoi/test-support';
import { submittedConsultation } from './support/fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

/** Runs `jobs` with at most `limit` in flight, as the request form uploads a folder of slices. */
async function inParallel<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

/** A fixed shuffle (no Math.random: a failure must replay). */
function shuffled<T>(list: T[]): T[] {
  const out = [...list];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const SLICES = 104;
const CT = '1.2.826.0.1.3680043.10.1234.7.100';
const SCOUT = '1.2.826.0.1.3680043.10.1234.7.200';

describe('attachment series (CT/MR stacks)', () => {
  let t: TestApp;
  let consultationId: string;
  let patientId: string;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const upload = (buf: Buffer, name: string) =>
    t
      .http()
      .post(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .attach('file', buf, name);
  const byName = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp();
    const c = await submittedConsultation(t);
    consultationId = c.id;
    patientId = c.patient.id;
    // One CT series of 104 slices whose instance numbers run against the table (numbered from
    // the top, z descending) and whose files arrive shuffled, 6 at a time; a second series of 3
    // slices with slice location only; a multi-frame file; an X-ray without a series.
    const ct = makeCtSeries(SLICES, { seriesUid: CT, rows: 16, columns: 16 }).map((s) => ({
      name: `ct-z${s.z}.dcm`,
      file: makeCtSlice({
        seriesUid: CT,
        rows: 16,
        columns: 16,
        z: s.z,
        instanceNumber: SLICES + 1 - s.instanceNumber,
        sopInstanceUid: `1.2.826.0.1.3680043.10.1234.9.${s.instanceNumber}`,
      }),
    }));
    const scout = [7, -3, 2].map((loc) => ({
      name: `scout-${loc}.dcm`,
      file: makeCtSlice({
        seriesUid: SCOUT,
        rows: 8,
        columns: 8,
        position: null,
        sliceLocation: loc,
        instanceNumber: { 7: 3, [-3]: 1, 2: 2 }[loc],
        sopInstanceUid: `1.2.826.0.1.3680043.10.1234.8.${loc + 10}`,
      }),
    }));
    const cine = {
      name: 'cine.dcm',
      file: makeCtSlice({
        seriesUid: '1.2.826.0.1.3680043.10.1234.7.300',
        frames: 5,
        rows: 8,
        columns: 8,
      }),
    };
    // A multi-frame file exported without a SeriesInstanceUID: no series, but still its frames.
    const loose = {
      name: 'loose-cine.dcm',
      file: makeCtSlice({ seriesUid: null, frames: 4, rows: 8, columns: 8 }),
    };
    const xray = { name: 'xq.dcm', file: chestXrayDicom() };
    const all = shuffled([...ct, ...scout, cine, loose, xray]);
    const answers = await inParallel(
      all.map((f) => async () => {
        const res = await upload(f.file, f.name);
        expect(res.status).toBe(201);
        byName.set(f.name, res.body.id);
        return res.body;
      }),
      6,
    );
    expect(answers).toHaveLength(SLICES + 6);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores the series tags of each instance and keeps metadata the display summary', async () => {
    const [row] = await t.sql<Record<string, unknown>>(
      `SELECT series_uid, study_uid, instance_number, image_position, image_orientation, frame_count, metadata
         FROM attachments WHERE id = $1`,
      [byName.get('ct-z0.dcm')],
    );
    expect(row).toMatchObject({
      series_uid: CT,
      study_uid: '1.2.826.0.1.3680043.10.1234.6',
      instance_number: SLICES,
      image_position: [-160, -160, 0],
      image_orientation: [1, 0, 0, 0, 1, 0],
      frame_count: 1,
    });
    expect(row.metadata).toEqual({
      modality: 'CT',
      studyDate: '2026-11-25',
      studyDescription: 'CT NGUC',
      rows: 16,
      columns: 16,
    });
  });

  it('groups the series and orders the shuffled slices by position, in the scanner numbering direction', async () => {
    const res = await t
      .http()
      .get(`/api/consultations/${consultationId}/series`)
      .set(d1())
      .expect(200);
    const series = res.body.items as { uid: string; instanceIds: string[]; frames: number }[];
    expect(series.map((s) => s.uid).sort()).toEqual(
      [CT, SCOUT, '1.2.826.0.1.3680043.10.1234.7.300'].sort(),
    );
    const ct = series.find((s) => s.uid === CT)!;
    // Instance 1 is the highest z: the order runs from z = 257.5 down to z = 0.
    const expected = Array.from({ length: SLICES }, (_, i) =>
      byName.get(`ct-z${(SLICES - 1 - i) * 2.5}.dcm`),
    );
    expect(ct).toMatchObject({ modality: 'CT', description: 'CT NGUC', frames: SLICES });
    expect(ct.instanceIds).toEqual(expected);
    const scout = series.find((s) => s.uid === SCOUT)!;
    expect(scout.instanceIds).toEqual(
      ['scout--3.dcm', 'scout-2.dcm', 'scout-7.dcm'].map((n) => byName.get(n)),
    );
    expect(series.find((s) => s.frames === 5)?.instanceIds).toEqual([byName.get('cine.dcm')]);
  });

  it('gives each listed instance its slice index and count; other files have no series', async () => {
    const res = await t
      .http()
      .get(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .expect(200);
    const items = res.body.items as { id: string; series?: Record<string, unknown> | null }[];
    const of = (name: string) => items.find((a) => a.id === byName.get(name))!;
    expect(of('ct-z0.dcm').series).toEqual({
      uid: CT,
      studyUid: '1.2.826.0.1.3680043.10.1234.6',
      instanceNumber: SLICES,
      frames: 1,
      sliceIndex: SLICES - 1,
      sliceCount: SLICES,
    });
    expect(of('ct-z257.5.dcm').series).toMatchObject({ instanceNumber: 1, sliceIndex: 0 });
    expect(of('cine.dcm').series).toMatchObject({ frames: 5, sliceIndex: 0, sliceCount: 1 });
    expect(of('xq.dcm').series).toBeNull();
    // Frames are said for every multi-frame file, in a series or not, and for no single frame.
    expect(of('loose-cine.dcm')).toMatchObject({ series: null, frames: 4 });
    expect(of('cine.dcm')).toMatchObject({ frames: 5 });
    expect(of('xq.dcm')).not.toHaveProperty('frames');
    expect(of('ct-z0.dcm')).not.toHaveProperty('frames');
    const indexes = items.filter((a) => a.series?.uid === CT).map((a) => a.series!.sliceIndex);
    expect(new Set(indexes).size).toBe(SLICES);
  });

  it('shows a slice uploaded again once: the copy keeps its series but gets no place', async () => {
    const again = makeCtSlice({
      seriesUid: CT,
      rows: 16,
      columns: 16,
      z: 5,
      instanceNumber: SLICES - 1,
      sopInstanceUid: '1.2.826.0.1.3680043.10.1234.9.3',
    });
    const copy = await upload(again, 'ct-z5-lan-2.dcm').expect(201);
    const series = await t
      .http()
      .get(`/api/consultations/${consultationId}/series`)
      .set(d1())
      .expect(200);
    const ct = series.body.items.find((s: { uid: string }) => s.uid === CT);
    expect(ct.instanceIds).toHaveLength(SLICES);
    expect(ct.instanceIds).toContain(byName.get('ct-z5.dcm'));
    expect(ct.instanceIds).not.toContain(copy.body.id);
    const list = await t
      .http()
      .get(`/api/consultations/${consultationId}/attachments`)
      .set(d1())
      .expect(200);
    const listed = list.body.items.find((a: { id: string }) => a.id === copy.body.id);
    expect(listed.series).toEqual({
      uid: CT,
      studyUid: '1.2.826.0.1.3680043.10.1234.6',
      instanceNumber: SLICES - 1,
      frames: 1,
    });
  });

  it('audits the series list with the patient, and refuses (404, audited) anyone outside the case', async () => {
    const [{ last }] = await t.sql<{ last: string }>(
      `SELECT coalesce(max(id), 0)::text AS last FROM audit_events`,
    );
    await t.http().get(`/api/consultations/${consultationId}/series`).set(d1()).expect(200);
    for (const outsider of ['coordinator@central-b.demo', 'requester@commune-1.demo'] as const) {
      const res = await t
        .http()
        .get(`/api/consultations/${consultationId}/series`)
        .set(bearer(t.tokens[outsider]))
        .expect(404);
      expect(JSON.stringify(res.body)).not.toContain(CT);
    }
    const rows = await t.sql<{ action: string; actor_id: string; patient_id: string | null }>(
      `SELECT action, actor_id, patient_id FROM audit_events WHERE id > $1 ORDER BY id`,
      [last],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          action: 'attachment.series',
          actor_id: t.userIds['requester@district-1.demo'],
          patient_id: patientId,
        },
        expect.objectContaining({
          action: 'access.refused',
          actor_id: t.userIds['coordinator@central-b.demo'],
        }),
        expect.objectContaining({
          action: 'access.refused',
          actor_id: t.userIds['requester@commune-1.demo'],
        }),
      ]),
    );
  });

  it('a malformed id is 400 naming it', async () => {
    const res = await t.http().get(`/api/consultations/not-a-uuid/series`).set(d1()).expect(400);
    expect(JSON.stringify(res.body.details ?? res.body)).toContain('id');
  });
});
