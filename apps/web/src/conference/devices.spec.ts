import { CAPTURE_STEPS, cameraEncodings, openLocalMedia } from './devices';

const stream = (label: string) => ({ label }) as unknown as MediaStream;
const named = (name: string) => Object.assign(new Error(name), { name });

describe('camera capture', () => {
  it('asks for 1280x720 (ideal) first, with the chosen camera', async () => {
    const asked: MediaStreamConstraints[] = [];
    const s = await openLocalMedia({ cameraId: 'cam1', audioOnly: false }, async (c) => {
      asked.push(c);
      return stream('hd');
    });
    expect(s).toEqual({ label: 'hd' });
    expect(asked).toHaveLength(1);
    expect(asked[0].video).toMatchObject({
      width: { ideal: 1280 },
      height: { ideal: 720 },
      deviceId: { exact: 'cam1' },
    });
    expect(asked[0].audio).toMatchObject({ echoCancellation: true });
  });

  it('falls back to 640x360, then to sound only, when the device cannot', async () => {
    const asked: Array<MediaStreamConstraints['video']> = [];
    const s = await openLocalMedia({ audioOnly: false }, async (c) => {
      asked.push(c.video);
      if (
        c.video &&
        (c.video as MediaTrackConstraints).width &&
        ((c.video as MediaTrackConstraints).width as ConstrainULongRange).ideal === 1280
      )
        throw named('OverconstrainedError');
      return stream(c.video ? 'sd' : 'audio');
    });
    expect(s).toEqual({ label: 'sd' });
    expect(
      asked.map((v) =>
        v ? ((v as MediaTrackConstraints).height as ConstrainULongRange).ideal : false,
      ),
    ).toEqual([720, 360]);

    const busy: Array<MediaStreamConstraints['video']> = [];
    const audioOnly = await openLocalMedia({ audioOnly: false }, async (c) => {
      busy.push(c.video);
      if (c.video) throw named('NotReadableError');
      return stream('audio');
    });
    expect(audioOnly).toEqual({ label: 'audio' });
    expect(busy).toHaveLength(CAPTURE_STEPS.length + 1);
  });

  it('a refused permission is not retried at a smaller size', async () => {
    let calls = 0;
    await expect(
      openLocalMedia({ audioOnly: false }, async () => {
        calls++;
        throw named('NotAllowedError');
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(calls).toBe(2); // the camera once, then sound alone
  });

  it('audio-only asks for no video at all', async () => {
    const asked: MediaStreamConstraints[] = [];
    await openLocalMedia({ audioOnly: true }, async (c) => (asked.push(c), stream('a')));
    expect(asked.map((c) => c.video)).toEqual([false]);
  });

  it('simulcast layers follow the captured height', () => {
    expect(cameraEncodings(720).map((e) => e.scaleResolutionDownBy)).toEqual([4, 2, 1]);
    expect(cameraEncodings(undefined)).toHaveLength(3);
    expect(cameraEncodings(360).map((e) => [e.rid, e.scaleResolutionDownBy])).toEqual([
      ['r0', 2],
      ['r1', 1],
    ]);
    expect(cameraEncodings(180)).toEqual([{ scaleResolutionDownBy: 1, maxBitrate: 250_000 }]);
  });
});
