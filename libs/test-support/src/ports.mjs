/**
 * Free ports for servers a test starts. Asking the kernel for port 0 hands out a port of the
 * ephemeral range, the one outgoing connections take their local ports from: between the probe
 * closing it and the child server listening, a browser's or a database client's connection may
 * take it (seen: an API instance in a crash loop on EADDRINUSE). And a launcher that puts a second
 * instance on the next port (`API_INSTANCES`, `SFU_NODES`) needs that port free as well. So the
 * ports come from below the ephemeral range, each one of a run of `span` is checked on TCP and UDP
 * on all addresses, and none is handed out twice by this process.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const handedOut = new Set();

/** The lowest ephemeral port (Linux: ip_local_port_range; elsewhere the IANA range). */
function ephemeralLow() {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low > 12_000) return low;
  } catch {
    // not Linux
  }
  return 49_152;
}

const LOWEST = 10_000;
const HIGHEST = ephemeralLow() - 1;

function tcpFree(port) {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

function udpFree(port) {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

async function runFree(base, span) {
  for (let p = base; p < base + span; p++) {
    if (handedOut.has(p) || !(await tcpFree(p)) || !(await udpFree(p))) return false;
  }
  return true;
}

/**
 * The first of `span` consecutive ports nobody uses now, on TCP and UDP, outside the ephemeral
 * range; they are not handed out again by this process.
 */
export async function freePort(span = 1) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST - span));
    if (await runFree(base, span)) {
      for (let p = base; p < base + span; p++) handedOut.add(p);
      return base;
    }
  }
  throw new Error(`no ${span} consecutive free ports between ${LOWEST} and ${HIGHEST}`);
}
