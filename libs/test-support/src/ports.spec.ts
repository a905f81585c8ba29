import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import { freePort } from '@caunoi/test-support';

const ephemeralLow = Number(
  fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
);

/** Binds TCP and UDP on all addresses, as the servers under test do; closes at once. */
async function bindBoth(port: number): Promise<void> {
  const tcp = net.createServer();
  await new Promise<void>((ok, fail) => tcp.once('error', fail).listen(port, '0.0.0.0', ok));
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((ok, fail) => udp.once('error', fail).bind(port, '0.0.0.0', ok));
  await new Promise<void>((ok) => tcp.close(() => ok()));
  await new Promise<void>((ok) => udp.close(() => ok()));
}

describe('free ports for the servers a test starts', () => {
  it('hands out runs of free ports below the ephemeral range', async () => {
    const base = await freePort(4);
    expect(base + 3).toBeLessThan(ephemeralLow);
    for (let p = base; p < base + 4; p++) await bindBoth(p); // throws if one is taken
  });

  it('never hands out a port twice in a process', async () => {
    const given: number[] = [];
    for (let i = 0; i < 40; i++) {
      const base = await freePort(3);
      given.push(base, base + 1, base + 2);
    }
    expect(new Set(given).size).toBe(given.length);
  });
});
