import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// mediasoup reads MEDIASOUP_WORKER_BIN when it is first required. If the worker is not linked
// into node_modules yet but the project's build cache has one, use it.
if (!process.env.MEDIASOUP_WORKER_BIN) {
  const root = path.resolve(path.dirname(require.resolve('mediasoup')), '../..');
  const linked = path.join(root, 'worker/out/Release/mediasoup-worker');
  if (!existsSync(linked)) {
    const cache = path.join(os.homedir(), '.cache/caunoi/mediasoup-worker');
    const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
      .version as string;
    const dir = existsSync(cache)
      ? readdirSync(cache).filter(
          (d) => d.startsWith(`${version}-`) && existsSync(path.join(cache, d, 'mediasoup-worker')),
        )
      : [];
    if (dir[0]) process.env.MEDIASOUP_WORKER_BIN = path.join(cache, dir[0], 'mediasoup-worker');
  }
}
