import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../src/media/codecs';

/**
 * A real worker and one router with the product's codecs for a test file's tests, without the
 * SFU around them (for what the worker itself does). `router()` is valid inside the tests.
 */
export function workerRouter(): { router: () => types.Router } {
  let worker: types.Worker | undefined;
  let router: types.Router | undefined;
  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'error' });
    router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  });
  afterAll(() => worker?.close());
  return { router: () => router! };
}
