// The sites' microphones in the weak-link benchmark. Chromium's fake microphone beeps the same
// at every site, so the SFU's active speaker jumped between the central sites every ~2 s (8
// changes in 15 s) and "the active speaker's video" measured the changes, not the line. A
// consultation has one person speaking at a time while the others listen with their
// microphones open: here one central site speaks (a voiced tone in syllables) and the others
// send a soft steady hum, still a continuous stream of voice packets for the concealment figures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RATE = 48_000;
const SECONDS = 8;

/** A 16-bit mono WAV: `loud` speaks in syllables, otherwise a hum 24 dB below. */
function wav(loud) {
  const n = RATE * SECONDS;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const voiced =
      Math.sin(2 * Math.PI * 180 * t) +
      0.5 * Math.sin(2 * Math.PI * 360 * t) +
      0.25 * Math.sin(2 * Math.PI * 540 * t);
    // Four syllables a second, with a pause of half a second every two seconds.
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
    const pause = t % 2 > 1.5 ? 0 : 1;
    const amplitude = loud ? 0.3 * syllable * pause : 0.02;
    data.writeInt16LE(Math.round(32767 * Math.max(-1, Math.min(1, amplitude * voiced))), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Paths of the two microphones' recordings (written once per run into a temporary folder). */
export function voiceFiles() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-voices-'));
  const speaker = path.join(dir, 'speaker.wav');
  const listener = path.join(dir, 'listener.wav');
  fs.writeFileSync(speaker, wav(true));
  fs.writeFileSync(listener, wav(false));
  return { speaker, listener };
}
