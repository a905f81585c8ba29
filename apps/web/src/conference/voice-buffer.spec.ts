import {
  appliedVoiceBufferMs,
  MAX_VOICE_BUFFER_MS,
  voiceBufferMs,
  voiceFlow,
  type VoiceFlow,
} from './voice-buffer';

describe('voice buffer: time for a lost voice packet to be resent', () => {
  it('leaves a clean voice to the browser', () => {
    expect(voiceBufferMs(0, 20, null)).toBeNull();
    expect(voiceBufferMs(0.5, 400, null)).toBeNull();
  });

  it('holds a lossy voice a round trip and a margin, at least for a 3G sender', () => {
    // A central site (its own round trip 2 ms) hearing a commune that loses packets upstream.
    expect(voiceBufferMs(5, 2, null)).toBe(450);
    // The commune itself, 400 ms from the SFU.
    expect(voiceBufferMs(3, 400, null)).toBe(550);
  });

  it('keeps the target once set, only ever raising it, and never past the cap', () => {
    expect(voiceBufferMs(0, 20, 450)).toBe(450);
    expect(voiceBufferMs(4, 10, 550)).toBe(550);
    expect(voiceBufferMs(4, 600, 550)).toBe(750);
    expect(voiceBufferMs(4, 5_000, null)).toBe(MAX_VOICE_BUFFER_MS);
  });
});

describe('voice flow: a voice back from an outage plays at once', () => {
  it('goes gone, returning, flowing as nothing, then packets arrive', () => {
    const windows = [12, 0, 0, 0, 9, 12, 11];
    const flows: VoiceFlow[] = [];
    let flow: VoiceFlow = 'flowing';
    for (const packets of windows) flows.push((flow = voiceFlow(flow, packets)));
    expect(flows).toEqual(['flowing', 'gone', 'gone', 'gone', 'returning', 'flowing', 'flowing']);
  });

  it('a voice that stops again while returning is gone again', () => {
    expect(voiceFlow('returning', 0)).toBe('gone');
    expect(voiceFlow('gone', 0)).toBe('gone');
  });

  it('the raised target applies only while the voice flows; meanwhile the browser’s own', () => {
    expect(appliedVoiceBufferMs('flowing', 450)).toBe(450);
    expect(appliedVoiceBufferMs('gone', 450)).toBeNull();
    expect(appliedVoiceBufferMs('returning', 450)).toBeNull();
    expect(appliedVoiceBufferMs('flowing', null)).toBeNull();
  });
});
