/** Camera and microphone access for the pre-join check. */
export interface DeviceChoice {
  cameraId?: string;
  micId?: string;
  audioOnly: boolean;
}

export async function openLocalMedia(choice: DeviceChoice): Promise<MediaStream> {
  const audio: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
    ...(choice.micId ? { deviceId: { exact: choice.micId } } : {}),
  };
  const video: MediaTrackConstraints | false = choice.audioOnly
    ? false
    : { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 20, max: 30 }, ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : {}) };
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video });
  } catch (err) {
    // No camera (or it is busy): still join with sound.
    if (video) return navigator.mediaDevices.getUserMedia({ audio, video: false });
    throw err;
  }
}

export async function listDevices(): Promise<{ cameras: MediaDeviceInfo[]; mics: MediaDeviceInfo[] }> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return { cameras: all.filter((d) => d.kind === 'videoinput'), mics: all.filter((d) => d.kind === 'audioinput') };
}

export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}
