import { capabilitiesDigest } from '@caunoi/shared';
import {
  rememberCapabilities,
  rememberedCapabilities,
  rememberedPlacement,
  rememberPlacement,
  samePlacement,
} from './placement-memory';

function memoryStore() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    items,
  };
}

describe('the last join’s SFU node', () => {
  it('is no guess before any join', () => {
    expect(rememberedPlacement(memoryStore())).toBeNull();
  });

  it('is the node (and socket.io path) the last answer named', () => {
    const store = memoryStore();
    rememberPlacement({ sfuUrl: 'https://bv.example.vn', sfuPath: '/sfu/socket.io' }, store);
    expect(rememberedPlacement(store)).toEqual({
      sfuUrl: 'https://bv.example.vn',
      sfuPath: '/sfu/socket.io',
    });
    rememberPlacement({ sfuUrl: 'https://sfu2.example.vn' }, store);
    expect(rememberedPlacement(store)).toEqual({ sfuUrl: 'https://sfu2.example.vn' });
  });

  it('is no guess when the entry is damaged', () => {
    const store = memoryStore();
    for (const bad of ['{', '"x"', '{"sfuUrl":42}', '{"sfuUrl":""}', 'null']) {
      store.items.set('caunoi.sfu.lastPlacement', bad);
      expect(rememberedPlacement(store)).toBeNull();
    }
  });

  it('counts a missing path as socket.io’s default', () => {
    expect(samePlacement({ sfuUrl: 'u' }, { sfuUrl: 'u', sfuPath: '/socket.io' })).toBe(true);
    expect(samePlacement({ sfuUrl: 'u' }, { sfuUrl: 'u', sfuPath: '/sfu/socket.io' })).toBe(false);
    expect(samePlacement({ sfuUrl: 'u' }, { sfuUrl: 'v' })).toBe(false);
  });
});

describe('the router capabilities kept from the last join', () => {
  const caps = { codecs: [{ mimeType: 'audio/opus', clockRate: 48000 }], headerExtensions: [] };

  it('are those of the node asked about, and none for another node', () => {
    const store = memoryStore();
    expect(rememberedCapabilities({ sfuUrl: 'https://a.example.vn' }, store)).toBeNull();
    rememberCapabilities(
      { sfuUrl: 'https://a.example.vn', sfuPath: '/sfu/socket.io' },
      caps,
      store,
    );
    expect(
      rememberedCapabilities({ sfuUrl: 'https://a.example.vn', sfuPath: '/sfu/socket.io' }, store),
    ).toEqual(caps);
    expect(rememberedCapabilities({ sfuUrl: 'https://a.example.vn' }, store)).toBeNull();
    expect(rememberedCapabilities({ sfuUrl: 'https://b.example.vn' }, store)).toBeNull();
  });

  it('keep their digest through storage, as the SFU computes it over what it sent', () => {
    const store = memoryStore();
    const sent = JSON.parse(JSON.stringify(caps));
    rememberCapabilities({ sfuUrl: 'https://a.example.vn' }, sent, store);
    const kept = rememberedCapabilities({ sfuUrl: 'https://a.example.vn' }, store);
    expect(capabilitiesDigest(kept)).toBe(capabilitiesDigest(caps));
    expect(capabilitiesDigest({ ...caps, codecs: [] })).not.toBe(capabilitiesDigest(caps));
  });

  it('are none when the entry is damaged', () => {
    const store = memoryStore();
    for (const bad of ['{', '{"place":{"sfuUrl":"https://a.example.vn"}}', '{"caps":{}}', 'null']) {
      store.setItem('caunoi.sfu.routerCapabilities', bad);
      expect(rememberedCapabilities({ sfuUrl: 'https://a.example.vn' }, store)).toBeNull();
    }
  });
});
