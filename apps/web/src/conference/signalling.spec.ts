import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import type { JoinResponse } from '@caunoi/shared';
import { openSignalling } from './signalling';

/** A socket.io server standing for one SFU node: records the join tokens it is shown. */
async function node() {
  const http: HttpServer = createServer();
  const io = new Server(http);
  const tokens: string[] = [];
  io.on('connection', (s) => tokens.push(String(s.handshake.auth.token)));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const stop = () => new Promise<void>((r) => io.close(() => r()));
  return { url, tokens, stop };
}

const answer = (sfuUrl: string, token: string) => ({ sfuUrl, token }) as unknown as JoinResponse;

describe('following the placement to another SFU node', () => {
  let socket: Socket | undefined;
  afterEach(() => void socket?.disconnect());

  it('goes to the node a fresh join names on the first attempt after its own node died', async () => {
    const [a, b] = [await node(), await node()];
    let joins = 0;
    // The API has moved the session once A is gone: every fresh join names B.
    const getJoin = async () => answer(b.url, `b-${++joins}`);
    socket = openSignalling(answer(a.url, 'a-first'), getJoin, () => ({
      peerId: 'p1',
      capabilities: false,
    }));
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
      socket = openSignalling(answer(a.url, 'a-first'), getJoin, () => ({
        peerId: 'p1',
        capabilities: false,
      }));
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
