import {
  apiRoundTripMs,
  lineLooksWeak,
  LinkMemory,
  pageDownlinkKbps,
  pageStartBitrate,
  START_SHARE,
} from './link-memory';

function memoryStore() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
}

describe('LinkMemory', () => {
  it('remembers a weak verdict at once and forgets it after a normal session', () => {
    const store = memoryStore();
    expect(new LinkMemory(store).weakBefore).toBe(false);
    const first = new LinkMemory(store);
    first.observe('normal');
    first.observe('weak');
    expect(new LinkMemory(store).weakBefore).toBe(true); // before the session even ends
    first.observe('normal');
    first.end();
    expect(new LinkMemory(store).weakBefore).toBe(true); // the session was weak at some point
    const second = new LinkMemory(store);
    second.observe('normal');
    second.end();
    expect(new LinkMemory(store).weakBefore).toBe(false);
  });

  it('treats critical as weak and survives a storage that refuses', () => {
    const store = memoryStore();
    const m = new LinkMemory(store);
    m.observe('critical');
    expect(new LinkMemory(store).weakBefore).toBe(true);
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const r = new LinkMemory(refusing);
    expect(r.weakBefore).toBe(false);
    expect(() => {
      r.observe('weak');
      r.end();
    }).not.toThrow();
  });
});

describe('LinkMemory: a start that fits the line', () => {
  it('remembers the most a weak session carried and asks the SFU to start at 70 % of it', () => {
    const store = memoryStore();
    const m = new LinkMemory(store);
    // 2 s windows on a 128 kbit/s line: 16 kB (64 kbit/s), then 30 kB (120 kbit/s), then 20 kB.
    m.observeReceived(0, 0);
    m.observeReceived(16_000, 2_000);
    m.observe('weak');
    m.observeReceived(46_000, 4_000);
    m.observeReceived(50_000, 4_500); // a short window: not a measure
    m.observeReceived(66_000, 6_000);
    m.end();
    expect(new LinkMemory(store).startBitrate).toBe(START_SHARE * 120_000);
  });

  it('asks nothing after a normal session or without a measure, and restarts when streams go', () => {
    const store = memoryStore();
    const normal = new LinkMemory(store);
    normal.observeReceived(0, 0);
    normal.observeReceived(500_000, 2_000);
    normal.end();
    expect(new LinkMemory(store).startBitrate).toBeUndefined();
    const unmeasured = new LinkMemory(memoryStore());
    unmeasured.observe('weak');
    expect(unmeasured.startBitrate).toBeUndefined();
    const dropped = new LinkMemory(store);
    dropped.observe('weak');
    dropped.observeReceived(100_000, 0);
    dropped.observeReceived(10_000, 2_000); // a stream went away: its bytes are not a rate
    dropped.observeReceived(35_000, 4_000);
    expect(new LinkMemory(store).startBitrate).toBe(START_SHARE * 100_000);
  });
});

describe('lineLooksWeak (the browser network estimate before joining)', () => {
  it('says weak on 3G or worse, long round trips or a thin downlink', () => {
    expect(lineLooksWeak({ effectiveType: '3g', rtt: 100, downlink: 5 })).toBe(true);
    expect(lineLooksWeak({ effectiveType: '2g' })).toBe(true);
    expect(lineLooksWeak({ effectiveType: '4g', rtt: 300, downlink: 5 })).toBe(true);
    expect(lineLooksWeak({ effectiveType: '4g', rtt: 50, downlink: 0.3 })).toBe(true);
  });

  it('says nothing without an estimate, and not weak on a good line', () => {
    expect(lineLooksWeak(null)).toBe(false);
    expect(lineLooksWeak(undefined)).toBe(false);
    expect(lineLooksWeak({})).toBe(false);
    expect(lineLooksWeak({ effectiveType: '4g', rtt: 50, downlink: 10 })).toBe(false);
    expect(lineLooksWeak({ effectiveType: '4g', rtt: 100, downlink: 0 })).toBe(false);
  });
});

describe('apiRoundTripMs (the round trip the app measured to its own server)', () => {
  const at = (name: string, requestStart: number, took: number) => ({
    name,
    requestStart,
    responseStart: requestStart + took,
  });
  const origin = 'https://bv.example.vn';

  it('is the typical API request: not the slowest answers, not those that took no trip', () => {
    const requests = [
      at(`${origin}/api/sessions/1`, 100, 480),
      at(`${origin}/api/facilities/2`, 120, 310),
      at(`${origin}/api/me`, 125, 330),
      at(`${origin}/api/join-token`, 128, 3), // answered from a cache: no round trip
      at(`${origin}/assets/room.js`, 130, 20), // not the API
      at('https://other.example/api/x', 140, 5), // another origin
    ];
    expect(apiRoundTripMs(requests, origin)).toBe(330);
    expect(lineLooksWeak({ rtt: apiRoundTripMs(requests, origin)! })).toBe(true);
  });

  it('needs three measured requests; on a LAN the line is not weak', () => {
    expect(
      apiRoundTripMs([at(`${origin}/api/me`, 10, 400), at(`${origin}/api/x`, 20, 400)], origin),
    ).toBeNull();
    // Cross-origin timing without Timing-Allow-Origin reads 0: not measured.
    const hidden = [0, 0, 0].map((t, i) => at(`${origin}/api/${i}`, t, 0));
    expect(apiRoundTripMs(hidden, origin)).toBeNull();
    const lan = [
      at(`${origin}/api/a`, 10, 12),
      at(`${origin}/api/b`, 40, 25),
      at(`${origin}/api/c`, 50, 9),
    ];
    expect(lineLooksWeak({ rtt: apiRoundTripMs(lan, origin)! })).toBe(false);
  });
});

describe('pageDownlinkKbps (what the line carried while the app downloaded its code)', () => {
  const dl = (responseStart: number, responseEnd: number, transferSize: number) => ({
    responseStart,
    responseEnd,
    transferSize,
  });

  it('merges parallel downloads: they shared the line', () => {
    // 48 kB and 32 kB arriving over the same 5 s on a 128 kbit/s line: 80 kB in 5 s.
    expect(pageDownlinkKbps([dl(1000, 6000, 48_000), dl(1500, 6000, 32_000), dl(0, 0, 0)])).toBe(
      128,
    );
  });

  it('leaves out the time no download was arriving (a click, a form)', () => {
    expect(pageDownlinkKbps([dl(0, 2500, 40_000), dl(60_000, 62_500, 40_000)])).toBe(128);
  });

  it('measures nothing from the cache, from small answers or from too few bytes', () => {
    expect(pageDownlinkKbps([dl(0, 100, 0), dl(0, 100, 0)])).toBeNull();
    expect(pageDownlinkKbps(Array.from({ length: 20 }, (_, i) => dl(i, i + 1, 4_000)))).toBeNull();
    expect(pageDownlinkKbps([dl(0, 2000, 40_000)])).toBeNull();
  });

  it('asks a first session on a weak line for the remembered share of what the page measured', () => {
    expect(pageStartBitrate({ downlink: 0.128 })).toBe(Math.round(128_000 * START_SHARE));
    // The SFU keeps its lower weak start, but learns the line's rate (its floor stays under it).
    expect(pageStartBitrate({ downlink: 0.256 })).toBe(Math.round(256_000 * START_SHARE));
    expect(pageStartBitrate({ downlink: 0.6 })).toBeUndefined(); // not a weak line
    expect(pageStartBitrate({ downlink: 20 })).toBeUndefined();
    expect(pageStartBitrate({ rtt: 400 })).toBeUndefined();
    expect(pageStartBitrate(null)).toBeUndefined();
  });
});
