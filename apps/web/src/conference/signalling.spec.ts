import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import type { JoinResponse } from '@caunoi/shared';
import type { Placement } from './placement-memory';
import { openAhead, openSignalling } from './signalling';

/**
 * A socket.io server standing for one SFU node: records the join tokens it is shown and how
 * many WebSocket connections were opened to it (before any token).
 */
async function node() {
  const http: HttpServer = createServer();
  const io = new Server(http);
  const tokens: string[] = [];
  let opened = 0;
  io.engine.on('connection', () => opened++);
  const auths: Array<Record<string, unknown>> = [];
  io.on('connection', (s) => {
    tokens.push(String(s.handshake.auth.token));
    auths.push(s.handshake.auth);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const stop = () => new Promise<void>((r) => io.close(() => r()));
  return { url, tokens, auths, stop, opened: () => opened, live: () => io.engine.clientsCount };
}

const answer = (sfuUrl: string, token: string) => ({ sfuUrl, token }) as unknown as JoinResponse;
const hs = async () => ({ peerId: 'p1', capabilities: false });
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJoinNever = () => new Promise<JoinResponse>(() => undefined);

describe('opening towards the last node while the join answer is on its way', () => {
  let socket: Socket | undefined;
  afterEach(() => void socket?.disconnect());

  it('has the connection open before the answer and presents its token once it arrives', async () => {
    const a = await node();
    let reply: (j: JoinResponse) => void = () => undefined;
    const first = new Promise<JoinResponse>((r) => (reply = r));
    socket = openSignalling(first, async () => answer(a.url, 'a-again'), hs, { sfuUrl: a.url });
    const s = socket;
    await settle(300);
    // The WebSocket is up, but nothing was presented: no token is at hand yet.
    expect(a.opened()).toBe(1);
    expect(a.tokens).toEqual([]);
    const connected = new Promise<void>((r) => s.once('connect', () => r()));
    reply(answer(a.url, 'a-first'));
    await connected;
    expect(a.tokens).toEqual(['a-first']);
    expect(a.opened()).toBe(1);
    await a.stop();
  });

  it('never shows the guessed node a token meant for another: it moves to the named node', async () => {
    const [a, b] = [await node(), await node()];
    let reply: (j: JoinResponse) => void = () => undefined;
    const first = new Promise<JoinResponse>((r) => (reply = r));
    socket = openSignalling(first, async () => answer(b.url, 'b-again'), hs, { sfuUrl: a.url });
    const s = socket;
    await settle(300);
    expect(a.opened()).toBe(1);
    const connected = new Promise<void>((r) => s.once('connect', () => r()));
    reply(answer(b.url, 'b-first'));
    await connected;
    expect(b.tokens).toEqual(['b-first']);
    expect(a.tokens).toEqual([]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('presents a join prepared for the node it goes to, and only that one', async () => {
    const [a, b] = [await node(), await node()];
    const prepared: string[] = [];
    const presented: string[] = [];
    const handshake = async (place: Placement) => {
      prepared.push(place.sfuUrl);
      await settle(50); // a Device loading
      return {
        peerId: null,
        capabilities: true,
        join: { routerCapabilities: '0123abcd', request: { rtpCapabilities: { codecs: [{}] } } },
        presented: () => presented.push(place.sfuUrl),
      };
    };
    let reply: (j: JoinResponse) => void = () => undefined;
    const first = new Promise<JoinResponse>((r) => (reply = r));
    socket = openSignalling(first, getJoinNever, handshake, { sfuUrl: a.url });
    const s = socket;
    await settle(300);
    // Prepared towards the guessed node while the answer is on its way.
    expect(prepared).toEqual([a.url]);
    const connected = new Promise<void>((r) => s.once('connect', () => r()));
    reply(answer(b.url, 'b-first'));
    await connected;
    expect(prepared).toEqual([a.url, b.url]);
    expect(presented).toEqual([b.url]);
    expect(b.auths[0]).toMatchObject({
      token: 'b-first',
      capabilities: true,
      join: { routerCapabilities: '0123abcd' },
    });
    expect(a.tokens).toEqual([]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('presents nothing when the join is refused', async () => {
    const a = await node();
    const first = Promise.reject(new Error('forbidden'));
    socket = openSignalling(first, async () => answer(a.url, 'a-again'), hs, { sfuUrl: a.url });
    await settle(500);
    expect(a.tokens).toEqual([]);
    await a.stop();
  });
});

describe('a connection opened ahead, during the device check', () => {
  let socket: Socket | undefined;
  afterEach(() => void socket?.disconnect());

  it('is the one the join takes: no second WebSocket, the token only with the join', async () => {
    const a = await node();
    openAhead({ sfuUrl: a.url });
    await settle(300);
    expect(a.opened()).toBe(1);
    expect(a.tokens).toEqual([]);
    socket = openSignalling(Promise.resolve(answer(a.url, 'a-first')), getJoinNever, hs, {
      sfuUrl: a.url,
    });
    const s = socket;
    await new Promise<void>((r) => s.once('connect', () => r()));
    expect(a.tokens).toEqual(['a-first']);
    expect(a.opened()).toBe(1);
    await a.stop();
  });

  it('is closed when the page is left without joining', async () => {
    const a = await node();
    const close = openAhead({ sfuUrl: a.url });
    await settle(300);
    expect(a.live()).toBe(1);
    close();
    await settle(300);
    expect(a.live()).toBe(0);
    // A later join opens its own.
    socket = openSignalling(Promise.resolve(answer(a.url, 'a-first')), getJoinNever, hs, {
      sfuUrl: a.url,
    });
    const s = socket;
    await new Promise<void>((r) => s.once('connect', () => r()));
    expect(a.opened()).toBe(2);
    await a.stop();
  });

  it('is not taken by a join that goes to another node', async () => {
    const [a, b] = [await node(), await node()];
    const close = openAhead({ sfuUrl: a.url });
    socket = openSignalling(Promise.resolve(answer(b.url, 'b-first')), getJoinNever, hs, {
      sfuUrl: b.url,
    });
    const s = socket;
    await new Promise<void>((r) => s.once('connect', () => r()));
    expect(b.tokens).toEqual(['b-first']);
    expect(a.tokens).toEqual([]);
    close();
    await Promise.all([a.stop(), b.stop()]);
  });
});

describe('following the placement to another SFU node', () => {
  let socket: Socket | undefined;
  afterEach(() => void socket?.disconnect());

  it('goes to the node a fresh join names on the first attempt after its own node died', async () => {
    const [a, b] = [await node(), await node()];
    let joins = 0;
    // The API has moved the session once A is gone: every fresh join names B.
    const getJoin = async () => answer(b.url, `b-${++joins}`);
    socket = openSignalling(Promise.resolve(answer(a.url, 'a-first')), getJoin, hs, {
      sfuUrl: a.url,
    });
    const s = socket;
    await new Promise<void>((r) => s.once('connect', () => r()));
    expect(a.tokens).toEqual(['a-first']);

    const attempts: number[] = [];
    s.io.on('reconnect_attempt', (n) => attempts.push(n));
    const reconnected = new Promise<void>((r) => s.once('connect', () => r()));
    await a.stop();
    await reconnected;
    // Straight to B with the token of the answer that named it: socket.io's back-off would have
    // sent a second attempt to the dead A first.
    expect(attempts).toEqual([1]);
    expect(b.tokens).toEqual(['b-1']);
    expect((s.io as unknown as { uri: string }).uri).toBe(b.url);
    await b.stop();
  });

  it('stays closed when the room is left while the fresh join is on its way', async () => {
    const [a, b] = [await node(), await node()];
    let reply: (j: JoinResponse) => void = () => undefined;
    const asked = new Promise<void>((asking) => {
      const getJoin = () => {
        asking();
        return new Promise<JoinResponse>((r) => (reply = r));
      };
      socket = openSignalling(Promise.resolve(answer(a.url, 'a-first')), getJoin, hs, {
        sfuUrl: a.url,
      });
    });
    const s = socket!;
    await new Promise<void>((r) => s.once('connect', () => r()));
    await a.stop();
    await asked;
    s.disconnect(); // the clinician leaves the room
    reply(answer(b.url, 'b-late'));
    // Long enough for a connection to B to be made, were one opened (B is on this machine).
    await new Promise((r) => setTimeout(r, 500));
    expect(b.tokens).toEqual([]);
    expect(s.active).toBe(false);
    await b.stop();
  });
});
