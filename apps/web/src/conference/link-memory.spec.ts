import { lineLooksWeak, LinkMemory } from './link-memory';

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
